package dev.flags.examples.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A copy of an example's shipped {@code flags.json} in a directory of the test's, edited while the
 * service watches it. Stateless and thread-safe; tests edit one file at a time.
 */
public final class FlagFileEdits {

  /** The shipped flag file, relative to the example's module directory (where its tests run). */
  public static final Path SHIPPED = Path.of("flags.json");

  private FlagFileEdits() {}

  /**
   * Copies the shipped flag file to {@code dir/flags.json}, replacing what is there.
   *
   * @return the copy
   * @throws UncheckedIOException if it cannot be copied
   */
  public static Path copyShipped(Path dir) {
    try {
      return Files.copy(SHIPPED, dir.resolve("flags.json"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of the shipped flag file. */
  public static String shipped() throws IOException {
    return Files.readString(SHIPPED);
  }

  /**
   * The shipped flag file with {@code new_checkout_flow}'s canary at {@code percent} instead of
   * 10%.
   */
  public static String canaryAt(int percent) throws IOException {
    return shipped().replace(weights(10), weights(percent));
  }

  /**
   * The shipped flag file with the {@code beta_payment_gateway} kill switch off (everyone: the off
   * variation, false).
   */
  public static String betaGatewayOff() throws IOException {
    return shipped()
        .replace("\"owner\": \"team-payments\",", "\"owner\": \"team-payments\", \"on\": false,");
  }

  /**
   * Replaces {@code dir/flags.json} the way an editor saving it would: a new file moved into place.
   */
  public static void rewrite(Path dir, String content) throws IOException {
    Path tmp = dir.resolve("flags.json.tmp");
    Files.writeString(tmp, content);
    Files.move(
        tmp,
        dir.resolve("flags.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The rollout weights of {@code new_checkout_flow} in the shipped file, for a percentage. */
  private static String weights(int percent) {
    int on = percent * 1000;
    return "{ \"variation\": 1, \"weight\": "
        + on
        + " }, { \"variation\": 0, \"weight\": "
        + (100_000 - on)
        + " }";
  }
}
