package dev.flags.examples.micronaut;

import io.micronaut.runtime.Micronaut;

/**
 * The checkout service on Micronaut. By default its flags come from {@code
 * flags-examples/micronaut/flags.json} (edit it while the service runs: changes apply at once), or,
 * started away from the repository root, from the copy inside the jar ({@link FlagFileFallback});
 * with {@code --flags.store=redis} they come from Redis, seeded from that file.
 *
 * <pre>
 * ./mvnw -q -pl flags-examples/micronaut -am package -DskipTests
 * java -jar flags-examples/micronaut/target/checkout-micronaut.jar [--flags.store=redis]
 * </pre>
 */
public final class CheckoutApplication {

  private CheckoutApplication() {}

  public static void main(String[] args) {
    Micronaut.run(CheckoutApplication.class, args);
  }
}
