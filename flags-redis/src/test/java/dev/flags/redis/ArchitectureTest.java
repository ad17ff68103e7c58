package dev.flags.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * flags-redis depends on the JDK, flags-core, Jedis and Caffeine only (no Micrometer: its meters go
 * through flags-core's MeasuredStore) and logs like flags-core.
 */
class ArchitectureTest {
  private static final JavaClasses REDIS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.flags.redis");

  @Test
  void dependsOnlyOnTheJdkFlagsCoreJedisAndCaffeine() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax.net.ssl..",
            "dev.flags.core..",
            "dev.flags.redis..",
            "redis.clients.jedis..",
            "com.github.benmanes.caffeine..",
            "org.apache.commons.pool2..",
            "org.jspecify.annotations..")
        .check(REDIS);
  }

  @Test
  void libraryCodeNeitherPrintsNorUsesJavaUtilLogging() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.logging..")
        .check(REDIS);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses()
        .should()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .check(REDIS);
  }
}
