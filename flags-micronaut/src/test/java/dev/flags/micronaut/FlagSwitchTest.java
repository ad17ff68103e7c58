package dev.flags.micronaut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.InMemoryFlagStore;
import dev.flags.integration.FlagsRuntime;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

@MicronautTest(startApplication = false)
@Property(name = "spec.name", value = "FlagSwitchTest")
@Property(name = "flags.static.new_greeting", value = "false")
class FlagSwitchTest {

  public interface Greeter {
    String greet(String name);
  }

  @Singleton
  @Requires(property = "spec.name", value = "FlagSwitchTest")
  static class PlainGreeter implements Greeter {
    @Override
    public String greet(String name) {
      return "Hello " + name;
    }
  }

  @Singleton
  @Requires(property = "spec.name", value = "FlagSwitchTest")
  static class FriendlyGreeter implements Greeter {
    @Override
    public String greet(String name) {
      return "Hi there, " + name + "!";
    }
  }

  @FlagSwitch(value = "new_greeting", on = FriendlyGreeter.class, off = PlainGreeter.class)
  @Requires(property = "spec.name", value = "FlagSwitchTest")
  public interface GreeterSwitch extends Greeter {}

  /** A second switch over the same interface, on another flag: the two must not mix. */
  @FlagSwitch(value = "other_greeting", on = PlainGreeter.class, off = FriendlyGreeter.class)
  @Requires(property = "spec.name", value = "FlagSwitchTest")
  public interface OtherGreeterSwitch extends Greeter {}

  @Inject GreeterSwitch greeter;
  @Inject OtherGreeterSwitch other;
  @Inject FlagsRuntime runtime;

  @Test
  void callsTheImplementationTheFlagChoosesOnEveryCall() {
    InMemoryFlagStore memory = (InMemoryFlagStore) runtime.store();
    assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");
    memory.set("new_greeting", true);
    assertThat(greeter.greet("Ada")).isEqualTo("Hi there, Ada!");
    memory.set("new_greeting", false);
    assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");
  }

  @Test
  void twoSwitchesOverOneInterfaceKeepTheirOwnFlagAndBeans() {
    InMemoryFlagStore memory = (InMemoryFlagStore) runtime.store();
    memory.set("new_greeting", false);
    memory.set("other_greeting", false);
    assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");
    assertThat(other.greet("Ada")).isEqualTo("Hi there, Ada!");
    memory.set("other_greeting", true);
    assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");
    assertThat(other.greet("Ada")).isEqualTo("Hello Ada");
  }
}
