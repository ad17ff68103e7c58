package dev.flags.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.examples.testsupport.CheckoutHttp;
import dev.flags.examples.testsupport.FlagFileEdits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service's OpenFeature endpoint, over real HTTP: for every user, OpenFeature (through our
 * provider) and our own API pick the same canary.
 */
@Import(StoryClock.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenFeatureEndpointTest {

  @TempDir static Path dir;

  @DynamicPropertySource
  static void flagFile(DynamicPropertyRegistry registry) {
    registry.add("flags.file.path", () -> FlagFileEdits.copyShipped(dir).toString());
  }

  @LocalServerPort int port;

  @Test
  void openFeatureAndOurApiPickTheSameCanaryUsers() throws Exception {
    CheckoutHttp http = new CheckoutHttp(port);
    List<String> users = IntStream.range(0, 200).mapToObj(i -> "user-" + i).toList();
    int canary = 0;
    for (String user : users) {
      Map<String, String> ours = http.checkout(user);
      String body = http.get("/checkout/openfeature", user).body();
      assertThat(body).contains("\"user\":\"" + user + "\"");
      assertThat(body).as(user).contains("\"flow\":\"" + ours.get("flow") + "\"");
      assertThat(body).contains("\"reason\":\"SPLIT\""); // a 10% rollout decided
      canary += ours.get("flow").equals("new") ? 1 : 0;
    }
    assertThat(canary).as("users in the 10%% canary").isBetween(5, 40);
  }
}
