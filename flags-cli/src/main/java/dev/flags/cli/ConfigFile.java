package dev.flags.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The profiles file ({@code ~/.config/flagctl/config}, or {@code FLAGCTL_CONFIG}): kubectl's
 * contexts in a small INI form.
 *
 * <pre>
 * current-profile = prod
 *
 * [prod]
 * redis = rediss://flags.prod.internal:6380
 * redis-user = flagctl
 * redis-password = ...
 *
 * [local]
 * file = ~/src/shop/flags.json
 * </pre>
 *
 * Lines starting with {@code #} or {@code ;} are comments. A relative {@code file} is relative to
 * the config file's directory, as kubectl does. Immutable once read.
 */
final class ConfigFile {

  static final String CURRENT = "current-profile";

  private final Path path;
  private final boolean exists;
  private final List<String> lines;
  private final Optional<String> current;
  private final Map<String, Map<Key, String>> profiles;

  private ConfigFile(
      Path path,
      boolean exists,
      List<String> lines,
      Optional<String> current,
      Map<String, Map<Key, String>> profiles) {
    this.path = path;
    this.exists = exists;
    this.lines = lines;
    this.current = current;
    this.profiles = profiles;
  }

  /** Where the profiles are: FLAGCTL_CONFIG, else $XDG_CONFIG_HOME or ~/.config/flagctl/config. */
  static Path location(Map<String, String> env) {
    String explicit = env.get("FLAGCTL_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
    return base.resolve("flagctl").resolve("config");
  }

  static ConfigFile read(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new ConfigFile(path, false, List.of(), Optional.empty(), Map.of());
    } catch (IOException e) {
      throw CliException.invalid("cannot read the profiles file " + path + ": " + e.getMessage());
    }
    Optional<String> current = Optional.empty();
    Map<String, Map<Key, String>> profiles = new LinkedHashMap<>();
    Map<Key, String> section = null;
    String sectionName = null;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String where = path + ":" + (i + 1) + ": ";
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]") || line.length() < 3) {
          throw CliException.invalid(where + "a profile starts with [name]; fix the line");
        }
        sectionName = line.substring(1, line.length() - 1).strip();
        checkName(sectionName, where);
        if (profiles.containsKey(sectionName)) {
          throw CliException.invalid(
              where + "profile " + sectionName + " is defined twice; remove one");
        }
        section = new EnumMap<>(Key.class);
        profiles.put(sectionName, section);
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 1) {
        throw CliException.invalid(where + "expected name = value; fix the line");
      }
      String name = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (section == null) {
        if (!name.equals(CURRENT)) {
          throw CliException.invalid(
              where
                  + "\""
                  + name
                  + "\" outside a profile: only current-profile goes before the first [name]");
        }
        current = value.isEmpty() ? Optional.empty() : Optional.of(value);
        continue;
      }
      Optional<Key> key = Key.byProfileName(name);
      if (key.isEmpty()) {
        throw CliException.invalid(
            where
                + "unknown setting \""
                + name
                + "\" in profile "
                + sectionName
                + Suggest.didYouMean(
                    name, java.util.Arrays.stream(Key.values()).map(Key::profileName).toList()));
      }
      if (key.get() == Key.FILE && !value.isEmpty()) {
        value = resolveFile(path, value);
      }
      section.put(key.get(), value);
    }
    Map<String, Map<Key, String>> frozen = new LinkedHashMap<>();
    profiles.forEach((k, v) -> frozen.put(k, java.util.Collections.unmodifiableMap(v)));
    return new ConfigFile(
        path, true, List.copyOf(lines), current, java.util.Collections.unmodifiableMap(frozen));
  }

  private static String resolveFile(Path config, String value) {
    Path p;
    if (value.equals("~") || value.startsWith("~/")) {
      p = Path.of(System.getProperty("user.home") + value.substring(1));
    } else {
      p = Path.of(value);
    }
    if (!p.isAbsolute()) {
      Path dir = config.toAbsolutePath().getParent();
      p = dir == null ? p : dir.resolve(p);
    }
    return p.normalize().toString();
  }

  static void checkName(String name, String where) {
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw CliException.invalid(
          where + "profile name \"" + name + "\": use 1 to 64 letters, digits, '.', '_' or '-'");
    }
  }

  Path path() {
    return path;
  }

  boolean exists() {
    return exists;
  }

  Optional<String> current() {
    return current;
  }

  Map<String, Map<Key, String>> profiles() {
    return profiles;
  }

  /** Whether a secret is stored in it. */
  boolean holdsSecrets() {
    return profiles.values().stream().anyMatch(p -> p.keySet().stream().anyMatch(Key::secret));
  }

  /** Whether users other than the owner may read it (POSIX permissions; false elsewhere). */
  boolean readableByOthers() {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
      return perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Writes the file with {@code current-profile} set to {@code name}, every other line as it was.
   */
  void writeCurrent(String name) {
    List<String> out = new ArrayList<>();
    boolean done = false;
    for (String line : lines) {
      String s = line.strip();
      if (!done && s.startsWith(CURRENT) && s.substring(CURRENT.length()).strip().startsWith("=")) {
        out.add(CURRENT + " = " + name);
        done = true;
      } else {
        out.add(line);
      }
    }
    if (!done) {
      out.add(0, CURRENT + " = " + name);
    }
    write(out);
  }

  private void write(List<String> out) {
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".config", ".tmp");
      try {
        Files.setPosixFilePermissions(
            tmp,
            exists
                ? Files.getPosixFilePermissions(path)
                : PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the temporary file's own permissions stay.
      }
      Files.writeString(tmp, String.join("\n", out) + "\n", StandardCharsets.UTF_8);
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw CliException.invalid("cannot write the profiles file " + path + ": " + e.getMessage());
    }
  }
}
