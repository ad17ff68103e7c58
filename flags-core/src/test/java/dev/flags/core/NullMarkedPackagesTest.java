package dev.flags.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every main package of every module of the build is {@code @NullMarked}, so NullAway checks it
 * (the build runs it with {@code OnlyNullMarked}: an unmarked package would silently go unchecked).
 * It reads the sources of the whole tree, so a new package or a new module cannot slip through.
 */
class NullMarkedPackagesTest {
  private static final Pattern NULL_MARKED =
      Pattern.compile("(?m)^@(org\\.jspecify\\.annotations\\.)?NullMarked\\s*\\n\\s*package ");

  /** Modules whose packages are not marked yet (issue 17): none; a module may not join it. */
  private static final Set<String> NOT_YET_MARKED = Set.of();

  @Test
  void everyMainPackageIsNullMarked() throws IOException {
    Path root = repositoryRoot();
    Set<String> unmarked = new TreeSet<>();
    List<Path> sourceRoots;
    try (Stream<Path> dirs = Files.walk(root, 4)) {
      sourceRoots =
          dirs.filter(d -> d.endsWith(Path.of("src", "main", "java")))
              .filter(d -> !root.relativize(d).startsWith("target"))
              .toList();
    }
    assertThat(sourceRoots).as("main source directories under %s", root).hasSizeGreaterThan(10);
    for (Path sources : sourceRoots) {
      String module = root.relativize(sources.getParent().getParent().getParent()).toString();
      if (NOT_YET_MARKED.contains(module)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(sources)) {
        files
            .filter(f -> f.toString().endsWith(".java"))
            .map(Path::getParent)
            .distinct()
            .filter(dir -> !isNullMarked(dir.resolve("package-info.java")))
            .forEach(dir -> unmarked.add(root.relativize(dir).toString()));
      }
    }
    assertThat(unmarked)
        .as("packages without a package-info.java saying @NullMarked (org.jspecify.annotations)")
        .isEmpty();
  }

  private static boolean isNullMarked(Path packageInfo) {
    try {
      return Files.exists(packageInfo) && NULL_MARKED.matcher(Files.readString(packageInfo)).find();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory of the parent pom: the tests run in flags-core's directory. */
  private static Path repositoryRoot() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(Files.readString(root.resolve("pom.xml")))
        .as("the parent pom above flags-core")
        .contains("<artifactId>flags-parent</artifactId>");
    return root;
  }
}
