package dev.flags.spring;

import dev.flags.core.FlagValidationException;
import dev.flags.core.InMemoryFlagStore;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns {@code flags.static.*} into flags: {@code true}/{@code false} make on/off switches, numbers
 * make number flags, anything else a string flag. Used by the properties store and by {@link
 * OnFlagCondition}, so both read the same values the same way.
 */
final class StaticFlags {

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

  private StaticFlags() {}

  /**
   * The values as flag values, validated. @throws FlagsConfigurationException naming the bad entry
   */
  static Map<String, Object> values(Map<String, String> raw) {
    Map<String, Object> values = new LinkedHashMap<>();
    raw.forEach((key, text) -> values.put(key, value(text == null ? "" : text.trim())));
    try {
      InMemoryFlagStore.ofValues(values); // validates keys and values once, here, with names
    } catch (FlagValidationException e) {
      String key = e.path();
      throw new FlagsConfigurationException(
          "flags.static." + key,
          raw.getOrDefault(key, ""),
          "is not a valid flag: " + e.problem(),
          "Use a flag key of 1 to 128 letters, digits, '_', '-' or '.', and a value of true, false, a number or a text.");
    }
    return values;
  }

  /** A store holding the static flags. @throws FlagsConfigurationException naming the bad entry */
  static InMemoryFlagStore store(Map<String, String> raw) {
    return InMemoryFlagStore.ofValues(values(raw));
  }

  private static Object value(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.equals("true") || lower.equals("on")) {
      return Boolean.TRUE;
    }
    if (lower.equals("false") || lower.equals("off")) {
      return Boolean.FALSE;
    }
    if (NUMBER.matcher(text).matches()) {
      return new BigDecimal(text);
    }
    return text;
  }
}
