package io.ep2camel.testsupport;

import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Saves what the browser showed when a test failed, as target/hawtio-browser/FAILED-test.png
 * (before @AfterEach/@AfterAll close the browser), and says where.
 */
public final class ScreenshotOnFailure implements AfterTestExecutionCallback {
    private final Path dir;
    private final Supplier<HeadlessChromium> browser;

    public ScreenshotOnFailure(Path dir, Supplier<HeadlessChromium> browser) {
        this.dir = dir;
        this.browser = browser;
    }

    @Override
    public void afterTestExecution(ExtensionContext context) throws Exception {
        HeadlessChromium chromium = browser.get();
        if (context.getExecutionException().isEmpty() || chromium == null) {
            return;
        }
        Path png = chromium.screenshot(dir.resolve("FAILED-" + context.getRequiredTestMethod().getName() + ".png"));
        System.err.println("screenshot of the failure: " + png.toAbsolutePath()
                + " (page " + chromium.driver.getCurrentUrl() + ")");
    }
}
