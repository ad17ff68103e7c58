package dev.flags.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** flags-redis keeps Micrometer optional and logs like flags-core. */
class ArchitectureTest {
  private static final JavaClasses REDIS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.flags.redis");

  @Test
  void onlyFlagMetricsUsesMicrometer() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(FlagMetrics.class.getName())
        .and()
        .doNotHaveFullyQualifiedName(FlagMetrics.class.getName() + "$PerFlag")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .because("Micrometer is optional: users without it must never load a class that needs it")
        .check(REDIS);
  }

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
            "io.micrometer..",
            "org.apache.commons.pool2..")
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
