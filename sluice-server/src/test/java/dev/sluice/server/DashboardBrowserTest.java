package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.EventStream;
import dev.sluice.Retry;
import dev.sluice.Sinks;
import dev.sluice.Sluice;
import dev.sluice.Store;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: Debian's headless Chromium, driven through chromedriver, against
 * a running app with live traffic. Numbers on the page must change as records arrive. Saves a
 * screenshot to {@code target/dashboard.png} (copied by hand to docs/dashboard.png).
 */
class DashboardBrowserTest {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  @TempDir static Path dir;
  static Store store;
  static RunningApp app;
  static WebDriver browser;
  static final AtomicBoolean producing = new AtomicBoolean(true);
  static Thread producer;

  @BeforeAll
  static void start() throws Exception {
    for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(binary))) {
        throw new AssertionError(
            binary
                + " is missing: this test drives Debian's headless Chromium. Install it with"
                + " `sudo apt-get install chromium chromium-driver` (scripts/test.sh does so when"
                + " run as root)");
      }
    }
    store = Sluice.open("sqlite:" + dir.resolve("store"));
    app =
        StreamingApp.builder()
            .store(store)
            .port(0)
            .sampleEvery(Duration.ofMillis(250))
            .consumer(
                "billing",
                s -> s.streaming("orders").group("billing").size(50),
                w -> Thread.sleep(2))
            .processor(
                "fraud-check",
                s -> s.streaming("payments").group("fraud").size(20).retry(Retry.none()),
                w -> {
                  for (Map<String, Object> p : w.data()) {
                    if (((Number) p.get("amount")).intValue() < 0) {
                      throw new IllegalArgumentException("negative amount " + p.get("amount"));
                    }
                  }
                  return Map.of("window", w.id(), "payments", w.size());
                },
                s -> Sinks.stream(s.stream("fraud-checked")))
            .build()
            .start();
    producer = new Thread(DashboardBrowserTest::produce, "producer");
    producer.start();

    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
        "--window-size=1400,1300");
    browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(1400, 1300));
  }

  /** Appends orders and payments (some negative) at a steady pace, for at most a minute. */
  static void produce() {
    EventStream<Map<String, Object>> orders = store.stream("orders");
    EventStream<Map<String, Object>> payments = store.stream("payments");
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    int i = 0;
    while (producing.get() && System.nanoTime() < deadline) {
      List<Map<String, Object>> batch = new ArrayList<>();
      for (int j = 0; j < 40; j++) {
        batch.add(Map.of("order", i * 40 + j, "amount", 10 + j));
      }
      orders.appendAll(batch);
      payments.append(Map.of("payment", i, "amount", i % 25 == 7 ? -5 : 20));
      i++;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    producing.set(false);
    if (producer != null) {
      producer.join();
    }
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.close();
    }
    if (store != null) {
      store.close();
    }
  }

  static String waitFor(String what, Supplier<String> value) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      String v;
      try {
        v = value.get();
      } catch (RuntimeException e) {
        v = null;
      }
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the page never showed " + what + ":\n" + browser.getPageSource());
      }
      Thread.sleep(100);
    }
  }

  static String cell(String css) {
    List<WebElement> found = browser.findElements(By.cssSelector(css));
    return found.isEmpty() ? null : found.get(0).getText();
  }

  static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  @Test
  void dashboard_showsLiveNumbers_thatChangeAsRecordsArrive() throws Exception {
    browser.get(app.uri().toString());
    String first = waitFor("the orders stream", () -> cell("tr[data-stream='orders'] td.records"));
    long before = number(first);

    String later =
        waitFor(
            "the orders count rising",
            () -> {
              String now = cell("tr[data-stream='orders'] td.records");
              return now != null && number(now) > before ? now : null;
            });
    assertThat(number(later)).isGreaterThan(before);

    String committed =
        waitFor("the billing group", () -> cell("tr[data-group='orders/billing'] td.committed"));
    long c0 = number(committed);
    waitFor(
        "the billing group's committed offset rising",
        () -> {
          String now = cell("tr[data-group='orders/billing'] td.committed");
          return now != null && number(now) > c0 ? now : null;
        });

    assertThat(waitFor("the billing job's state", () -> cell("tr[data-job='billing'] .state")))
        .isEqualTo("RUNNING");
    waitFor(
        "recent windows",
        () ->
            browser.findElements(By.cssSelector("#windows tr[data-window]")).size() >= 5
                ? ""
                : null);
    waitFor(
        "a failed window",
        () -> browser.findElements(By.cssSelector("#windows .badge.failed")).isEmpty() ? null : "");
    waitFor(
        "a dead letter with its error",
        () -> {
          String text = cell("#dead td.error");
          return text != null && text.contains("negative amount") ? text : null;
        });
    waitFor(
        "a drawn rate chart",
        () ->
            browser
                    .findElements(By.cssSelector("tr[data-stream='orders'] svg.spark polyline"))
                    .isEmpty()
                ? null
                : "");
    waitFor(
        "a drawn lag chart",
        () ->
            browser
                    .findElements(
                        By.cssSelector("tr[data-group='orders/billing'] svg.spark polyline"))
                    .isEmpty()
                ? null
                : "");
    String rate = cell("tr[data-stream='orders'] td.rate");
    assertThat(rate).isNotNull();
    assertThat(browser.findElement(By.id("problem")).isDisplayed()).isFalse();

    Thread.sleep(3_000); // let the charts gather a few seconds of history for the picture
    byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Path shot = Path.of("target", "dashboard.png");
    Files.createDirectories(shot.getParent());
    Files.write(shot, png);
    assertThat(png.length).isGreaterThan(10_000);
  }

  @Test
  void dashboard_withProtectedReads_asksForTheToken_thenShowsTheStreams() throws Exception {
    String token = "browser-token-0123456789";
    try (RunningApp locked =
        StreamingApp.builder()
            .store(store)
            .port(0)
            .token(token)
            .protectReads(true)
            .sampleEvery(Duration.ofMillis(250))
            .build()
            .start()) {
      browser.get(locked.uri().toString());
      waitFor(
          "the token form", () -> browser.findElement(By.id("login")).isDisplayed() ? "" : null);
      assertThat(browser.findElements(By.cssSelector("tr[data-stream='orders']"))).isEmpty();
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.cssSelector("#login button")).click();
      String records =
          waitFor("the orders stream", () -> cell("tr[data-stream='orders'] td.records"));
      assertThat(number(records)).isPositive();
      assertThat(browser.findElement(By.id("login")).isDisplayed()).isFalse();
    }
  }
}
