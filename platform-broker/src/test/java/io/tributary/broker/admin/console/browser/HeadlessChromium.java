package io.tributary.broker.admin.console.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless at 1280×800, with its own chromedriver from the PATH (or the
 * {@code chromium.binary} / {@code chromedriver.binary} system properties). Nothing is downloaded:
 * this machine's network is closed, so Chromium's background services are switched off too.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** A browser, or the calling test class skipped with the reason when none is installed. */
    static WebDriver start(Path profileDir) {
        Optional<Path> chromium = find("chromium.binary", "chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = find("chromedriver.binary", "chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && driver.isPresent(),
                "Browser tests need Chromium and chromedriver (apt-get install -y chromium chromium-driver); found "
                        + "chromium=" + chromium.map(Path::toString).orElse("none") + ", chromedriver="
                        + driver.map(Path::toString).orElse("none"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,800", "--user-data-dir=" + profileDir.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return browser;
    }

    private static Optional<Path> find(String property, String... names) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(names)
                .flatMap(name -> Stream.of(path.split(java.io.File.pathSeparator)).map(dir -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
