package dev.flags.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.ComponentScan;

/**
 * The starter's shape: auto-configured, never component-scanned; no package cycles; no printing; no
 * {@code internal} type of any of our modules in a public signature; optional libraries named only
 * where guarded.
 */
class ArchitectureTest {

  // Not DO_NOT_INCLUDE_JARS: on Spring Boot 3.5 the starter's classes come from its jar.
  private static final JavaClasses STARTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.flags.spring");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.flags.spring.(**)").should().beFreeOfCycles().check(STARTER);
  }

  @Test
  void noComponentScanningInOurCode() {
    noClasses()
        .should()
        .beAnnotatedWith(ComponentScan.class)
        .orShould()
        .beMetaAnnotatedWith(ComponentScan.class)
        .because("auto-configurations are listed in AutoConfiguration.imports, never scanned")
        .check(STARTER);
  }

  @Test
  void libraryCodeNeverPrints() {
    noClasses()
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.logging..")
        .check(STARTER);
  }

  @Test
  void noInternalTypeInAPublicSignature() {
    methods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should(
            new ArchCondition<JavaMethod>("not expose an internal or package-private type") {
              @Override
              public void check(JavaMethod method, ConditionEvents events) {
                List<JavaClass> types = new ArrayList<>(method.getRawParameterTypes());
                types.add(method.getRawReturnType());
                for (JavaClass type : types) {
                  boolean internalPackage = type.getPackageName().contains(".internal");
                  boolean hidden =
                      type.getPackageName().startsWith("dev.flags")
                          && !type.getModifiers().contains(JavaModifier.PUBLIC);
                  if (internalPackage || hidden) {
                    events.add(
                        SimpleConditionEvent.violated(
                            method, method.getFullName() + " exposes " + type.getName()));
                  }
                }
              }
            })
        .allowEmptyShould(true)
        .check(STARTER);
  }

  @Test
  void noClassNamesFlagsRedisOrJedis() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.flags.redis..", "redis.clients..")
        .because(
            "flags-integration builds the Redis store by name; metrics read flags-core's"
                + " MeasuredStore, so an application on a flag file needs no Jedis")
        .check(STARTER);
  }

  @Test
  void onlyTheMetricsAutoConfigurationNamesMicrometer() {
    noClasses()
        .that()
        .haveNameNotMatching("dev\\.flags\\.spring\\.FlagsMetricsAutoConfiguration(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.flags.micrometer..", "io.micrometer..")
        .because(
            "flags-micrometer and Micrometer are optional: only the class guarded by"
                + " @ConditionalOnClass may name them")
        .check(STARTER);
  }
}
