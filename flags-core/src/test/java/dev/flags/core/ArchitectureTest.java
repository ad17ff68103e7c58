package dev.flags.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** flags-core stays dependency-free and keeps its implementation out of its API. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.flags.core");

  @Test
  void coreUsesOnlyTheJdkAndItself() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.flags.core..", "org.jspecify.annotations..")
        .because(
            "flags-core has no runtime dependency (JSpecify's annotations are read by the compiler"
                + " only)")
        .check(CORE);
  }

  /** Non-public flags-core types: the implementation, which no public signature may mention. */
  private static final DescribedPredicate<JavaClass> HIDDEN =
      new DescribedPredicate<>("a non-public flags-core type") {
        @Override
        public boolean test(JavaClass c) {
          JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
          return base.getPackageName().startsWith("dev.flags.core") && !isVisible(base);
        }
      };

  /** Public, or protected in a public class, all the way out: visible to users. */
  private static boolean isVisible(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      Set<JavaModifier> m = k.getModifiers();
      if (!m.contains(JavaModifier.PUBLIC) && !m.contains(JavaModifier.PROTECTED)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isApi(JavaMember member) {
    Set<JavaModifier> m = member.getModifiers();
    return !member.getOwner().isAnonymousClass()
        && (m.contains(JavaModifier.PUBLIC) || m.contains(JavaModifier.PROTECTED));
  }

  /**
   * The types a public class exposes: its supertypes, and for each public or protected method,
   * constructor and field, the parameter, return, field and thrown types, generic arguments
   * included ({@code List<Hidden>}, {@code Optional<? extends Hidden>}).
   */
  static final ArchCondition<JavaClass> EXPOSE_ONLY_PUBLIC_TYPES =
      new ArchCondition<>("expose only public types") {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
          Map<String, Set<JavaClass>> exposed = new LinkedHashMap<>();
          c.getSuperclass().ifPresent(t -> add(exposed, "supertype", t));
          c.getInterfaces().forEach(t -> add(exposed, "supertype", t));
          for (JavaCodeUnit unit : c.getCodeUnits()) {
            if (!isApi(unit)
                || unit.getModifiers().contains(JavaModifier.SYNTHETIC)
                || unit.getModifiers().contains(JavaModifier.BRIDGE)) {
              continue;
            }
            String where = unit.getFullName();
            unit.getParameterTypes().forEach(t -> add(exposed, where + " parameter", t));
            add(exposed, where + " return type", unit.getReturnType());
            unit.getThrowsClause().getTypes().forEach(t -> add(exposed, where + " throws", t));
          }
          for (JavaField f : c.getFields()) {
            if (isApi(f) && !f.getModifiers().contains(JavaModifier.SYNTHETIC)) {
              add(exposed, f.getFullName() + " type", f.getType());
            }
          }
          exposed.forEach(
              (where, types) ->
                  types.stream()
                      .filter(HIDDEN)
                      .forEach(
                          t ->
                              events.add(
                                  SimpleConditionEvent.violated(
                                      c, where + " exposes " + t.getName()))));
        }

        private void add(Map<String, Set<JavaClass>> exposed, String where, JavaType type) {
          exposed
              .computeIfAbsent(where, k -> new LinkedHashSet<>())
              .addAll(type.getAllInvolvedRawTypes());
        }
      };

  private static final DescribedPredicate<JavaClass> VISIBLE =
      new DescribedPredicate<>("visible to users") {
        @Override
        public boolean test(JavaClass c) {
          return isVisible(c) && !c.isAnonymousClass();
        }
      };

  @Test
  void publicApiDoesNotExposeImplementationTypes() {
    classes().that(VISIBLE).should(EXPOSE_ONLY_PUBLIC_TYPES).check(CORE);
  }

  @Test
  void apiRuleCatchesEveryWayOfExposingAHiddenType() {
    JavaClasses leaky = new ClassFileImporter().importPackages("dev.flags.core.archfixture");
    assertThatThrownBy(() -> classes().that(VISIBLE).should(EXPOSE_ONLY_PUBLIC_TYPES).check(leaky))
        .hasMessageContaining("supertype exposes dev.flags.core.archfixture.Hidden")
        .hasMessageContaining(
            "LeakyApi.<init>(dev.flags.core.archfixture.Hidden) parameter exposes")
        .hasMessageContaining("LeakyApi.field type exposes")
        .hasMessageContaining("LeakyApi.list() return type exposes")
        .hasMessageContaining(
            "LeakyApi.fail() throws exposes dev.flags.core.archfixture.HiddenException")
        .hasMessageContaining("LeakyApi.compareTo(java.util.List) parameter exposes");
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.flags.core.(*)..").should().beFreeOfCycles().check(CORE);
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
        .because(
            "flags-core logs through System.Logger, which users route to their logging library")
        .check(CORE);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses()
        .should()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .because("the default locale turns \"TITLE\" into \"tıtle\" in Turkish; use Locale.ROOT")
        .check(CORE);
  }
}
