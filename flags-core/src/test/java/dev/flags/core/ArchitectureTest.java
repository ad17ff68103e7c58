package dev.flags.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** flags-core stays dependency-free and keeps its implementation out of its API. */
class ArchitectureTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.flags.core");

  @Test
  void coreUsesOnlyTheJdkAndItself() {
    classes().should().onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.flags.core..")
        .because("flags-core has no runtime dependency")
        .check(CORE);
  }

  @Test
  void publicApiDoesNotExposeImplementationTypes() {
    DescribedPredicate<JavaClass> hidden = new DescribedPredicate<>("a non-public flags-core type") {
      @Override
      public boolean test(JavaClass c) {
        return c.getPackageName().startsWith("dev.flags.core") && !c.getModifiers().contains(JavaModifier.PUBLIC);
      }
    };
    methods().that().arePublic().and().areDeclaredInClassesThat().arePublic()
        .should().haveRawReturnType(DescribedPredicate.not(hidden))
        .andShould().haveRawParameterTypes(DescribedPredicate.not(DescribedPredicate.anyElementThat(hidden)))
        .check(CORE);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.flags.core.(*)..").should().beFreeOfCycles().check(CORE);
  }

  @Test
  void libraryCodeNeitherPrintsNorUsesJavaUtilLogging() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().dependOnClassesThat().resideInAPackage("java.util.logging..")
        .because("flags-core logs through System.Logger, which users route to their logging library")
        .check(CORE);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses().should().callMethod(String.class, "toLowerCase")
        .orShould().callMethod(String.class, "toUpperCase")
        .because("the default locale turns \"TITLE\" into \"tıtle\" in Turkish; use Locale.ROOT")
        .check(CORE);
  }
}
