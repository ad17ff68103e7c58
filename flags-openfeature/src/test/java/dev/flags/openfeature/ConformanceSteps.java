package dev.flags.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flags.core.FileFlagStore;
import dev.flags.core.Flags;
import dev.flags.core.JsonValue;
import dev.flags.core.json.FlagCodec;
import dev.flags.core.spi.FlagStore;
import dev.flags.core.spi.StoreSink;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import io.cucumber.java.After;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The steps of the gherkin evaluation suite; one instance per scenario. */
public class ConformanceSteps {
  private static final FlagCodec CODEC = FlagCodec.standard();

  private final OpenFeatureAPI api = OpenFeatureAPI.createIsolated();
  private final List<Flags> clients = new ArrayList<>();
  private Client client;
  private String type;
  private String key;
  private String defaultText;
  private MutableContext context = new MutableContext();
  private FlagEvaluationDetails<?> details;

  @After
  public void close() {
    api.shutdown();
    clients.forEach(Flags::close);
  }

  private void use(FlagStore store, Duration timeout) {
    Flags flags = Flags.builder().store(store).build();
    clients.add(flags);
    try {
      api.setProviderAndWait(FlagsProvider.builder(flags).initializationTimeout(timeout).build());
    } catch (OpenFeatureError e) {
      // a store that never loads: the provider is in ERROR and evaluations say why
    }
    client = api.getClient();
  }

  @Given("a ready provider serving the conformance flags")
  public void aReadyProvider() {
    use(
        FileFlagStore.builder()
            .classpathResource("dev/flags/openfeature/conformance/flags.json")
            .build(),
        Duration.ofSeconds(10));
  }

  @Given("a provider whose store never loads")
  public void aProviderWhoseStoreNeverLoads() {
    api.shutdown();
    use(
        new FlagStore() {
          @Override
          public void start(StoreSink sink) {}

          @Override
          public void close() {}
        },
        Duration.ZERO);
  }

  @Given("a {word} flag {string} with the default {string}")
  public void aFlag(String type, String key, String defaultText) {
    this.type = type;
    this.key = key;
    this.defaultText = defaultText;
  }

  @Given("the context has the targeting key {string}")
  public void theTargetingKey(String targetingKey) {
    context.setTargetingKey(targetingKey);
  }

  @Given("the context has {string} = {string} of type {word}")
  public void theContextHas(String name, String value, String valueType) {
    switch (valueType) {
      case "String" -> context.add(name, value);
      case "Integer" -> context.add(name, Integer.parseInt(value));
      case "Float" -> context.add(name, Double.parseDouble(value));
      case "Boolean" -> context.add(name, Boolean.parseBoolean(value));
      default -> throw new IllegalArgumentException("unknown type " + valueType);
    }
  }

  @Given("the context has {string} set to null")
  public void theContextHasNull(String name) {
    context.add(name, (String) null);
  }

  @When("the flag is evaluated with details")
  public void evaluated() {
    details = evaluate(context);
  }

  @When("the flag is evaluated with details and an empty context")
  public void evaluatedWithoutContext() {
    details = evaluate(new ImmutableContext());
  }

  private FlagEvaluationDetails<?> evaluate(dev.openfeature.sdk.EvaluationContext ctx) {
    return switch (type) {
      case "Boolean" -> client.getBooleanDetails(key, Boolean.parseBoolean(defaultText), ctx);
      case "String" -> client.getStringDetails(key, defaultText, ctx);
      case "Integer" -> client.getIntegerDetails(key, Integer.parseInt(defaultText), ctx);
      case "Float" -> client.getDoubleDetails(key, Double.parseDouble(defaultText), ctx);
      case "Object" ->
          client.getObjectDetails(key, ValueMapping.toValue(CODEC.parse(defaultText)), ctx);
      default -> throw new IllegalArgumentException("unknown type " + type);
    };
  }

  @Then("the value is {string}")
  public void theValueIs(String expected) {
    Object actual = details.getValue();
    switch (type) {
      case "Boolean" -> assertThat(actual).isEqualTo(Boolean.parseBoolean(expected));
      case "String" -> assertThat(actual).isEqualTo(expected);
      case "Integer" -> assertThat(actual).isEqualTo(Integer.parseInt(expected));
      case "Float" -> assertThat(actual).isEqualTo(Double.parseDouble(expected));
      case "Object" -> {
        JsonValue json = ValueMapping.toJson((Value) actual);
        assertThat(json).isEqualTo(CODEC.parse(expected));
      }
      default -> throw new IllegalArgumentException("unknown type " + type);
    }
  }

  @Then("the flag key is {string}")
  public void theFlagKeyIs(String expected) {
    assertThat(details.getFlagKey()).isEqualTo(expected);
  }

  @Then("the variant is {string}")
  public void theVariantIs(String expected) {
    assertThat(details.getVariant()).isEqualTo(expected);
  }

  @Then("the reason is {string}")
  public void theReasonIs(String expected) {
    assertThat(details.getReason()).isEqualTo(expected);
  }

  @Then("the error code is {string}")
  public void theErrorCodeIs(String expected) {
    assertThat(details.getErrorCode()).isNotNull();
    assertThat(details.getErrorCode().name()).isEqualTo(expected);
  }

  @Then("there is no error code")
  public void noErrorCode() {
    assertThat(details.getErrorCode()).isNull();
  }

  @Then("the flag metadata has {string} = {string}")
  public void theMetadataHas(String name, String expected) {
    assertThat(details.getFlagMetadata().getString(name)).isEqualTo(expected);
  }

  @Then("the flag metadata has the number {string} = {long}")
  public void theMetadataHasNumber(String name, long expected) {
    assertThat(details.getFlagMetadata().getLong(name)).isEqualTo(expected);
  }
}
