/**
 * Tools for testing code that uses Sluice without sleeping: a {@link
 * dev.sluice.testkit.ManualClock} to pass as a store's clock, with the in-memory store ({@code
 * mem:}).
 */
package dev.sluice.testkit;
