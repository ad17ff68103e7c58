package dev.flags.core.archfixture;

/** A public generic supertype for {@link LeakyApi}; test fixture only, thread-safe (stateless). */
public class Base<T> {}
