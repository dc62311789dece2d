package io.ep2camel.testsupport;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * What an operator does in Hawtio 4.2.0's console, by what the page shows: tree nodes, tabs
 * and attribute rows found by their text. The element classes are PatternFly 5's (the
 * console's widget set) and the diagram's React Flow's; every wait is bounded.
 */
public final class HawtioConsole {
    /** Hawtio fetches the JMX tree through its proxy; a loaded 2-core machine may take a while. */
    private static final Duration WAIT = Duration.ofSeconds(45);

    private final WebDriver driver;
    private final WebDriverWait wait;

    public HawtioConsole(WebDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(250));
    }

    /** Opens the launcher's start page, which connects the console to the preset Jolokia. */
    public HawtioConsole open(String startPageUrl) {
        driver.get(startPageUrl);
        wait.until(ExpectedConditions.urlContains("/hawtio/"));
        return this;
    }

    /** The title of the Connect plugin's login dialog, shown when the connection's Jolokia answers 401. */
    public String loginDialogTitle() {
        return shownText(By.cssSelector("[role=dialog] .pf-v5-c-modal-box__title"));
    }

    /** Types into the login dialog and submits it. */
    public void logIn(String user, String password) {
        WebElement dialog = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=dialog]")));
        WebElement name = dialog.findElement(By.cssSelector("input[type=text]"));
        WebElement secret = dialog.findElement(By.cssSelector("input[type=password]"));
        name.clear();
        name.sendKeys(user);
        secret.clear();
        secret.sendKeys(password);
        dialog.findElement(By.xpath(".//button[normalize-space()='Log in']")).click();
    }

    /** The dialog's alert after a refused login (its text starts with a screen reader's "Danger alert:"). */
    public String loginError() {
        return shownText(By.cssSelector("[role=dialog] .pf-v5-c-alert"));
    }

    /** Waits until the tree of the plugin shown has a node {@code text} and returns all node texts. */
    public List<String> treeNodesOnceShown(String text) {
        // textContent: the full name, also of nodes CSS cuts short with an ellipsis
        return acrossNavigation(d -> d.findElements(treeNode(text)).isEmpty() ? null
                : d.findElements(By.cssSelector(".pf-v5-c-tree-view__node-text")).stream()
                        .map(e -> e.getAttribute("textContent").strip()).toList());
    }

    public void selectTreeNode(String text) {
        wait.until(ExpectedConditions.elementToBeClickable(treeNode(text))).click();
    }

    /** A plugin of the left-hand navigation (Camel, JMX, Runtime) or a tab of the selected node. */
    public void navigate(String linkText) {
        wait.until(ExpectedConditions.elementToBeClickable(
                By.xpath("//a[contains(@class,'pf-v5-c-nav__link')][normalize-space()='" + linkText + "']"))).click();
    }

    /** JMX's tree starts folded. */
    public void expandAll() {
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Expand all']"))).click();
    }

    /** The value column of the Attributes table's row {@code name}, once it shows one. */
    public String attribute(String name) {
        By value = By.xpath("//tr[td[1][normalize-space()='" + name + "']]/td[2]");
        wait.until(ExpectedConditions.presenceOfElementLocated(value));
        return driver.findElement(value).getText().strip();
    }

    /** Waits until the attribute's value satisfies {@code condition} (it refreshes on its own). */
    public String attributeUntil(String name, java.util.function.Predicate<String> condition) {
        return wait.until(d -> {
            String v = attribute(name);
            return condition.test(v) ? v : null;
        });
    }

    /** The boxes of the route diagram (one per processor), once it has at least {@code min}. */
    public List<String> diagramNodes(int min) {
        By node = By.cssSelector(".react-flow__node");
        wait.until(d -> d.findElements(node).size() >= min);
        return driver.findElements(node).stream().map(e -> e.getAttribute("textContent").strip()).toList();
    }

    /** The text of the element once it is shown. */
    private String shownText(By element) {
        return acrossNavigation(d -> d.findElements(element).stream().filter(WebElement::isDisplayed).findFirst()
                .map(e -> e.getText().strip()).orElse(null));
    }

    /**
     * Waits for {@code read} to give a value, reading again when the page navigates under it: the
     * console moves between its connect, login and main views on its own, and a read in flight
     * then ends in "aborted by navigation" or a stale element rather than in an answer.
     */
    private <T> T acrossNavigation(Function<WebDriver, T> read) {
        return wait.until(d -> {
            try {
                return read.apply(d);
            } catch (StaleElementReferenceException e) {
                return null;
            } catch (WebDriverException e) {
                if (String.valueOf(e.getMessage()).contains("aborted by navigation")) {
                    return null;
                }
                throw e;
            }
        });
    }

    private static By treeNode(String text) {
        return By.xpath("//*[contains(@class,'pf-v5-c-tree-view__node-text')][normalize-space()='" + text + "']");
    }
}
