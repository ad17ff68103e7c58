package dev.flags.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** flagctl's shape: one public type, Redis in one class, no stray printing or logging. */
class ArchitectureTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.flags.cli");

  @Test
  void flagctlIsTheOnlyPublicType() {
    classes()
        .that()
        .doNotHaveFullyQualifiedName(Flagctl.class.getName())
        .and()
        .areTopLevelClasses()
        .should()
        .notBePublic()
        .because("the module's API is its command line; the classes are implementation")
        .check(CLI);
  }

  @Test
  void onlyRedisStoresNamesFlagsRedis() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(RedisStores.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.flags.redis..")
        .because(
            "a file or HTTP command never loads Redis's classes, and the Redis API is wired"
                + " in one place")
        .check(CLI);
  }

  @Test
  void dependsOnlyOnTheJdkFlagsAndPicocli() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.flags.core..",
            "dev.flags.redis..",
            "dev.flags.cli..",
            "picocli..",
            "org.jspecify.annotations..")
        .check(CLI);
  }

  @Test
  void outputGoesThroughTheSession() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Flagctl.class.getName())
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .because("commands print to the session's streams (--json, tests, the CDS training)")
        .check(CLI);
  }

  @Test
  void onlyLogsTouchesJavaUtilLogging() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Logs.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.util.logging..")
        .check(CLI);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses()
        .should()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .check(CLI);
  }
}
