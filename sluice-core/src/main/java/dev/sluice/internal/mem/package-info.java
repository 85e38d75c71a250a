/** The in-memory store ({@code mem:}), with the embedded store's rules. Not API. */
package dev.sluice.internal.mem;
