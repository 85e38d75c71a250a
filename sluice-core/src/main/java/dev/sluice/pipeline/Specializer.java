package dev.sluice.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each step a private copy of the class whose loop calls it, so that the JIT profiles that
 * step's call site alone.
 *
 * <p>Why: HotSpot keeps one type profile per call site in the bytecode. With one shared {@code
 * MapOperation}, its {@code fn.apply(item)} sees every map step of every pipeline in the JVM,
 * becomes megamorphic and is never inlined; each item then pays an interface dispatch, and the
 * step's own code cannot be optimised together with the loop. A copy of the same class bytes
 * defined as a hidden class has its own profile, which stays monomorphic for a step that is one
 * lambda, so the JIT inlines the step into its loop. Behaviour is identical: the copy is the same
 * bytecode.
 *
 * <p>If a copy cannot be made (the class bytes are not readable, or the runtime cannot define
 * hidden classes), the shared class is used and a debug line is logged. Copies are not strongly
 * held: they are unloaded with the pipeline that uses them.
 */
final class Specializer {
  private static final Logger LOG = LoggerFactory.getLogger(Specializer.class);
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final Map<Class<?>, byte[]> BYTES = new ConcurrentHashMap<>();
  private static final byte[] UNREADABLE = new byte[0];

  private Specializer() {}

  /**
   * A new operation of a private copy of {@code template}, made with its constructor that takes one
   * {@code argType}; {@code null} if no copy could be made.
   */
  static Operation copy(Class<? extends Operation> template, Class<?> argType, Object arg) {
    byte[] bytes = BYTES.computeIfAbsent(template, Specializer::read);
    if (bytes == UNREADABLE) {
      return null;
    }
    try {
      MethodHandles.Lookup copy = LOOKUP.defineHiddenClass(bytes, true);
      MethodHandle constructor =
          copy.findConstructor(copy.lookupClass(), MethodType.methodType(void.class, argType));
      return (Operation) constructor.invoke(arg);
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError error && !(e instanceof StackOverflowError)) {
        throw error;
      }
      LOG.debug("cannot copy {}; steps share it", template.getName(), e);
      return null;
    }
  }

  private static byte[] read(Class<?> template) {
    String name = template.getName();
    String file = name.substring(name.lastIndexOf('.') + 1) + ".class";
    try (InputStream in = template.getResourceAsStream(file)) {
      if (in != null) {
        return in.readAllBytes();
      }
      LOG.debug("class file {} not found; steps share {}", file, name);
    } catch (IOException | SecurityException e) {
      LOG.debug("cannot read {}; steps share {}", file, name, e);
    }
    return UNREADABLE;
  }
}
