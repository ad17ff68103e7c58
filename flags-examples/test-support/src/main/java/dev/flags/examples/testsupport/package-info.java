/**
 * The checkout story's end-to-end test helpers, shared by the Spring Boot and Micronaut examples'
 * tests (the two services answer the same requests and serve the same flags): {@link
 * dev.flags.examples.testsupport.CheckoutHttp} makes real HTTP calls to a started service, {@link
 * dev.flags.examples.testsupport.CheckoutStory} knows the story's users and flags, {@link
 * dev.flags.examples.testsupport.FlagFileEdits} edits a copy of the shipped flag file the way an
 * editor does, and {@link dev.flags.examples.testsupport.SeededFlags} puts the Redis-seeded flags
 * back between tests; {@link dev.flags.examples.testsupport.CheckoutDashboardStories} are the
 * dashboard's stories in a real browser against a service and a dashboard sharing its flags (its
 * Selenium dependencies are optional: a test that runs them declares them). Not an example: the
 * examples' main code never uses it. For tests only.
 */
@NullMarked
package dev.flags.examples.testsupport;

import org.jspecify.annotations.NullMarked;
