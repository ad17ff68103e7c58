package dev.flags.micronaut;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * What keeps flags-micronaut native-image friendly and its optional dependencies optional. The
 * classes Micronaut generates ({@code $…$Definition}) are left out: they follow our classes.
 */
class ArchitectureTest {

  private static final DescribedPredicate<JavaClass> OURS = new DescribedPredicate<>("written by us") {
    @Override
    public boolean test(JavaClass c) {
      return !c.getName().contains(".$");
    }
  };

  private static final JavaClasses MODULE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.flags.micronaut");

  @Test
  void usesNoRuntimeReflection() {
    noClasses().that(OURS).should().dependOnClassesThat().resideInAPackage("java.lang.reflect..")
        .orShould().callMethod(Class.class, "forName", String.class)
        .orShould().callMethod(Class.class, "getDeclaredMethods")
        .orShould().callMethod(Class.class, "getMethods")
        .because("wiring is generated at compile time, so a GraalVM native image needs no reflection configuration")
        .check(MODULE);
  }

  @Test
  void onlyTheRedisClassesNameFlagsRedis() {
    noClasses().that(OURS).and().haveNameNotMatching(
            "dev\\.flags\\.micronaut\\.(RedisStores|RedisWrites|RedisFactory|FlagsMetricsFactory)(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("dev.flags.redis..")
        .orShould().dependOnClassesThat().resideInAPackage("io.micrometer..")
        .because("flags-redis and Micrometer are optional: only classes loaded when they are present may name them")
        .check(MODULE);
  }

  @Test
  void onlyTheEndpointAndHealthIndicatorNameManagement() {
    noClasses().that(OURS).and().haveNameNotMatching(
            "dev\\.flags\\.micronaut\\.(FlagsEndpoint|FlagsHealthIndicator)(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage("io.micronaut.management..")
        .because("micronaut-management is optional")
        .check(MODULE);
  }

  @Test
  void neitherPrintsNorConvertsCaseWithoutALocale() {
    noClasses().that(OURS).should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(String.class, "toLowerCase")
        .orShould().callMethod(String.class, "toUpperCase")
        .check(MODULE);
  }
}
