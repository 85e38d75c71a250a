/** Implementation: not API, may change without notice. */
package dev.sluice.internal;
