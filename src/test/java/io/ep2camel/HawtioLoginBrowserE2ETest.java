package io.ep2camel;

import io.ep2camel.testsupport.Ep2Fixture;
import io.ep2camel.testsupport.HawtioConsole;
import io.ep2camel.testsupport.HawtioProcess;
import io.ep2camel.testsupport.HeadlessChromium;
import io.ep2camel.testsupport.Http;
import io.ep2camel.testsupport.HttpBackends;
import io.ep2camel.testsupport.ScreenshotOnFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hawtio has no login of its own; when the controller's Jolokia has one (observe_credentials_file)
 * the console asks for it on connecting and its proxy passes it on: a wrong password is refused
 * by the controller, the right one shows ep2-camel's routes.
 */
@Tag("browser")
class HawtioLoginBrowserE2ETest {
    private static final Path OUT = Path.of("target/hawtio-browser");

    private final Ep2Fixture fx = new Ep2Fixture();
    private final HttpBackends servers = HttpBackends.start(1);
    private HawtioProcess hawtio;
    private HeadlessChromium chromium;

    @RegisterExtension
    final ScreenshotOnFailure screenshots = new ScreenshotOnFailure(OUT, () -> chromium);

    @AfterEach
    void tearDown() {
        if (chromium != null) {
            chromium.close();
        }
        if (hawtio != null) {
            hawtio.close();
        }
        servers.close();
        fx.close();
    }

    @Test
    void consoleAsksForTheControllersJolokiaLoginAndPassesItOn() throws Exception {
        Path users = fx.dir.resolve("observe.users");
        Files.writeString(users, "user.ops = s3cret-ops\n");
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-------"));
        fx.set("observe_credentials_file", users.toString()).set("observe_route_control", "True");
        fx.backends(List.of(servers.port(0)));
        fx.startController();
        await().atMost(Duration.ofSeconds(15)).until(() -> Http.tryGet(fx.frontendPort).equals("b1"));
        hawtio = HawtioProcess.start("http://127.0.0.1:" + fx.observePort + "/observe/jolokia", OUT.resolve("hawtio-login.log"));
        chromium = new HeadlessChromium();
        HawtioConsole console = new HawtioConsole(chromium.driver).open(hawtio.url("/"));

        assertThat(console.loginDialogTitle()).isEqualTo("Log in to ep2-camel");
        console.logIn("ops", "wrong");
        assertThat(console.loginError()).as("the controller refused it").endsWith("Incorrect username or password");

        console.logIn("ops", "s3cret-ops");
        assertThat(console.treeNodesOnceShown("ep2-poll")).contains("ep2-poll", "ep2-diff");
    }
}
