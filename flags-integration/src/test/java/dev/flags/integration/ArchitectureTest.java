package dev.flags.integration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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

/**
 * flags-integration stays framework-neutral and small: the JDK, flags-core, and flags-redis only in
 * the one class loaded when it is present; its implementation stays out of its API.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.flags.integration");

  @Test
  void usesOnlyTheJdkAndFlagsCore() {
    classes()
        .that()
        .haveNameNotMatching("dev\\.flags\\.integration\\.RedisStores(\\$.*)?")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax.crypto..",
            "dev.flags.core..",
            "dev.flags.integration..",
            "org.jspecify.annotations..")
        .because(
            "the neutral layer has no framework, no JSON library and no servlet API; flags-redis"
                + " is optional and named only by RedisStores, loaded when it is present")
        .check(MAIN);
  }

  @Test
  void onlyRedisStoresNamesFlagsRedis() {
    classes()
        .that()
        .haveSimpleName("RedisStores")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "dev.flags.core..",
            "dev.flags.integration..",
            "dev.flags.redis..",
            "org.jspecify.annotations..")
        .check(MAIN);
  }

  @Test
  void noPackageCycles() {
    // With the test code: the parity kit (kit) and the JDK adapter (jdk) use the API only, and
    // the module's own tests do not use the kit.
    JavaClasses all = new ClassFileImporter().importPackages("dev.flags.integration");
    slices().matching("dev.flags.(**)").should().beFreeOfCycles().check(all);
  }

  @Test
  void neitherPrintsNorUsesJavaUtilLogging() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.logging..")
        .because("it logs through System.Logger, which the framework routes to its logging")
        .check(MAIN);
  }

  @Test
  void caseConversionAlwaysNamesALocale() {
    noClasses()
        .should()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .because("the default locale turns \"TITLE\" into \"tıtle\" in Turkish; use Locale.ROOT")
        .check(MAIN);
  }

  /** Non-public types of this module: the implementation, which no public signature may name. */
  private static final DescribedPredicate<JavaClass> HIDDEN =
      new DescribedPredicate<>("a non-public flags-integration type") {
        @Override
        public boolean test(JavaClass c) {
          JavaClass base = c.isArray() ? c.getBaseComponentType() : c;
          return base.getPackageName().startsWith("dev.flags.integration") && !isVisible(base);
        }
      };

  private static final DescribedPredicate<JavaClass> VISIBLE =
      new DescribedPredicate<>("visible to users") {
        @Override
        public boolean test(JavaClass c) {
          return isVisible(c) && !c.isAnonymousClass();
        }
      };

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

  private static final ArchCondition<JavaClass> EXPOSE_ONLY_PUBLIC_TYPES =
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

  @Test
  void publicApiDoesNotExposeImplementationTypes() {
    classes().that(VISIBLE).should(EXPOSE_ONLY_PUBLIC_TYPES).check(MAIN);
  }

  @Test
  void thePublicApiIsSmall() {
    classes()
        .that(VISIBLE)
        .and()
        .areTopLevelClasses()
        .should()
        .haveSimpleNameNotEndingWith("Impl")
        .check(MAIN);
    org.assertj.core.api.Assertions.assertThat(
            MAIN.stream()
                .filter(VISIBLE)
                .filter(JavaClass::isTopLevelClass)
                .map(JavaClass::getSimpleName)
                .sorted()
                .toList())
        .as("public types: each one is API the adapters depend on; add one deliberately")
        .containsExactly(
            "AdminApi",
            "AuditDiff",
            "FlagsConfigurationException",
            "FlagsEventStream",
            "FlagsHttpHandler",
            "FlagsHttpRequest",
            "FlagsHttpResponse",
            "FlagsRuntime",
            "FlagsSettings",
            "HealthReport",
            "OfrepApi",
            "RequestContextPolicy",
            "RequestOutcomes", // guarded rollouts: the adapters wrap each request in it
            "RolloutPlans", // guarded rollouts' live state for the admin API and the dashboard
            "Setting",
            "SettingsSource",
            "StartupFlags",
            "StoreKind");
  }
}
