package dev.flags.integration;

import dev.flags.core.Flag;
import dev.flags.core.FlagSet;
import dev.flags.core.FlagValidationException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code flags.static.*}: {@code true}, {@code on}, {@code yes} and {@code false}, {@code
 * off}, {@code no} (any case) make on/off switches; a JSON number ({@code 3}, {@code -0.5}, not
 * {@code 007}, which stays text) a number flag; any other text a string flag serving it to
 * everyone. The same words whether they come from YAML, a properties file or the environment.
 */
final class StaticValues {

  /** JSON's number grammar without exponent: {@code 007} is a code, not seven. */
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?");

  private StaticValues() {}

  /** The value a text stands for: a {@link Boolean}, a {@link BigDecimal} or the text. */
  static Object value(String text) {
    String t = text.strip();
    switch (t.toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes":
        return true;
      case "false", "off", "no":
        return false;
      default:
        break;
    }
    if (t.length() <= 100 && NUMBER.matcher(t).matches()) {
      return new BigDecimal(t);
    }
    return t;
  }

  /**
   * The flags the entries describe, in key order.
   *
   * @throws FlagsConfigurationException naming {@code flags.static.<key>}
   */
  static FlagSet flags(Map<String, String> entries) {
    List<Flag> flags = new ArrayList<>();
    entries.forEach(
        (key, text) -> {
          String property = Setting.STATIC.key() + "." + key;
          if (text == null || text.isBlank()) {
            throw new FlagsConfigurationException(
                property,
                "",
                "has no value",
                "Give it true, false, a number or a text, or remove it.");
          }
          Object value = value(text);
          try {
            flags.add(
                value instanceof Boolean b
                    ? Flag.simple(key, b)
                    : Flag.builder(key).variations(value).build());
          } catch (FlagValidationException e) {
            String problem =
                e.problem().startsWith("key: ") ? e.problem().substring(5) : e.problem();
            throw new FlagsConfigurationException(
                property,
                text,
                "is not a valid flag: " + problem,
                "Use a flag key of 1 to 128 letters, digits, '_', '-' or '.' (in YAML, write a key"
                    + " with dots in brackets: \"[checkout.v2]\").",
                e);
          }
        });
    return FlagSet.of(flags, List.of());
  }
}
