package dev.flags.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * flags-server is an application over the starter: it never reaches into the SDK's implementation,
 * prints only in its command ({@code hash-password}), and exposes one public type, its main class.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.flags.server");

  @Test
  void printsOnlyInTheCommandAndNeverUsesJavaUtilLogging() {
    noClasses()
        .that()
        .doNotHaveSimpleName("HashPassword")
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.logging..")
        .check(MAIN);
  }

  @Test
  void usesTheSdkOnlyThroughItsPublicModules() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..internal..", "dev.flags.redis..")
        .because("the server is a user of the starter, the dashboard and the neutral layer")
        .check(MAIN);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses()
        .should()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .check(MAIN);
  }

  @Test
  void theOnlyPublicTypeIsTheMainClass() {
    org.assertj.core.api.Assertions.assertThat(
            MAIN.stream()
                .filter(JavaClass::isTopLevelClass)
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(JavaClass::getSimpleName)
                .sorted()
                .toList())
        .containsExactly("FlagsServer");
  }
}
