package dev.flags.openfeature;

import static io.cucumber.junit.platform.engine.Constants.GLUE_PROPERTY_NAME;
import static io.cucumber.junit.platform.engine.Constants.PLUGIN_PROPERTY_NAME;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeEngines;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The gherkin evaluation suite (src/test/resources/dev/flags/openfeature/conformance), run by
 * Cucumber's JUnit Platform engine with the steps of {@link ConformanceSteps}.
 */
@Suite
@IncludeEngines("cucumber")
@SelectPackages("dev.flags.openfeature.conformance")
@ConfigurationParameter(key = GLUE_PROPERTY_NAME, value = "dev.flags.openfeature")
@ConfigurationParameter(key = PLUGIN_PROPERTY_NAME, value = "summary")
class ConformanceTest {}
