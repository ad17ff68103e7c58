/**
 * Spring MVC support: {@link dev.flags.spring.web.FlagGuard} on controllers (per request, for the
 * current user) and {@link dev.flags.spring.web.FlagContextResolver}, who the current user is
 * (Spring Security principal, header, or a sticky anonymous id). Configured only in servlet web
 * applications with Spring MVC.
 */
@NullMarked
package dev.flags.spring.web;

import org.jspecify.annotations.NullMarked;
