package dev.flags.micronaut;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.micronaut.core.reflect.ClassUtils;
import org.junit.jupiter.api.Test;

/**
 * What keeps flags-micronaut native-image friendly and its optional dependencies optional. The
 * classes Micronaut generates ({@code $…$Definition}) are left out: they follow our classes.
 */
class ArchitectureTest {

  private static final DescribedPredicate<JavaClass> OURS =
      new DescribedPredicate<>("written by us") {
        @Override
        public boolean test(JavaClass c) {
          return !c.getName().contains(".$");
        }
      };

  private static final JavaClasses MODULE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.flags.micronaut");

  /**
   * Every overload of {@code Class.forName}, and Micronaut's {@code ClassUtils.forName} and {@code
   * isPresent}.
   */
  private static final DescribedPredicate<JavaMethodCall> DYNAMIC_CLASS_LOOKUP =
      new DescribedPredicate<>("Class.forName, ClassUtils.forName or ClassUtils.isPresent") {
        @Override
        public boolean test(JavaMethodCall call) {
          String owner = call.getTargetOwner().getName();
          String name = call.getName();
          return owner.equals(Class.class.getName()) && name.equals("forName")
              || owner.equals(ClassUtils.class.getName())
                  && (name.equals("forName") || name.equals("isPresent"));
        }
      };

  @Test
  void usesNoRuntimeReflection() {
    noClasses()
        .that(OURS)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.lang.reflect..")
        .orShould()
        .callMethodWhere(DYNAMIC_CLASS_LOOKUP)
        .orShould()
        .callMethod(Class.class, "getDeclaredMethods")
        .orShould()
        .callMethod(Class.class, "getMethods")
        .because(
            "wiring is generated at compile time, so a GraalVM native image needs no reflection configuration")
        .check(MODULE);
  }

  @Test
  void noClassNamesFlagsRedisOrJedis() {
    noClasses()
        .that(OURS)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.flags.redis..", "redis.clients..")
        .because(
            "flags-integration builds the Redis store by name; metrics read flags-core's"
                + " MeasuredStore, so an application on a flag file needs no Jedis")
        .check(MODULE);
  }

  @Test
  void onlyTheMetricsFactoryNamesMicrometer() {
    noClasses()
        .that(OURS)
        .and()
        .haveNameNotMatching("dev\\.flags\\.micronaut\\.FlagsMetricsFactory(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.flags.micrometer..", "io.micrometer..")
        .because(
            "flags-micrometer and Micrometer are optional: only classes loaded when they are present may name them")
        .check(MODULE);
  }

  @Test
  void onlyTheEndpointAndHealthIndicatorNameManagement() {
    noClasses()
        .that(OURS)
        .and()
        .haveNameNotMatching("dev\\.flags\\.micronaut\\.FlagsHealthIndicator(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micronaut.management..")
        .because("micronaut-management is optional")
        .check(MODULE);
  }

  @Test
  void onlyTheSecurityClassesNameMicronautSecurity() {
    noClasses()
        .that(OURS)
        .and()
        .haveNameNotMatching(
            "dev\\.flags\\.micronaut\\.(SecurityRoles|AdminApiController|OfrepApiController|DashboardController)(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micronaut.security..")
        .because("micronaut-security is optional: only beans required by it may name it")
        .check(MODULE);
  }

  @Test
  void neitherPrintsNorConvertsCaseWithoutALocale() {
    noClasses()
        .that(OURS)
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethod(String.class, "toLowerCase")
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .check(MODULE);
  }
}
