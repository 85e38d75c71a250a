package dev.sluice.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes operations of a per-item step from a private copy of the operation's class, one copy per
 * class of step function, so that the JIT profiles each kind of step on its own.
 *
 * <p>Why: HotSpot keeps one type profile per call site in the bytecode. With one shared {@code
 * MapOperation}, its {@code fn.apply(item)} sees every map step of every pipeline in the JVM,
 * becomes megamorphic and is never inlined; each item then pays an interface dispatch, and the
 * step's code cannot be optimised together with its loop. The same class bytes defined again as a
 * hidden class have a profile of their own; when all the functions a copy calls share one class
 * (the copy is chosen by that class), the call site stays monomorphic and the JIT inlines the step
 * into its loop. Behaviour is identical: a copy is the same bytecode. Copies are kept per class of
 * step function (a lambda expression, a method reference, a class implementing the step), so
 * pipelines built again and again reuse one warmed-up copy; a copy is unloaded with that class.
 *
 * <p>If no copy can be made (the class file cannot be read, or the runtime cannot define hidden
 * classes), the shared class is used and a debug line is logged. Hidden classes do not appear in
 * stack traces unless the JVM runs with {@code -XX:+ShowHiddenFrames}.
 */
final class Specializer {
  private static final Logger LOG = LoggerFactory.getLogger(Specializer.class);
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private final Class<? extends Operation> template;
  private final MethodType constructorType;
  private final ClassValue<MethodHandle> copies =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> functionClass) {
          return define(functionClass);
        }
      };
  private volatile byte[] bytes;

  /**
   * @param template an operation class with no nested classes and no lambdas, and a constructor
   *     that takes the step function as its only argument, of type {@code functionType}
   */
  Specializer(Class<? extends Operation> template, Class<?> functionType) {
    this.template = template;
    this.constructorType = MethodType.methodType(void.class, functionType);
  }

  /** An operation of the copy for this function's class; {@code null} if there is no copy. */
  Operation create(Object function) {
    MethodHandle constructor = copies.get(function.getClass());
    if (constructor == null) {
      return null;
    }
    try {
      return (Operation) constructor.invoke(function);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make an operation of " + template.getName(), e);
    }
  }

  private MethodHandle define(Class<?> functionClass) {
    byte[] classFile = classFile();
    if (classFile.length == 0) {
      return null;
    }
    try {
      MethodHandles.Lookup copy = LOOKUP.defineHiddenClass(classFile, true);
      return copy.findConstructor(copy.lookupClass(), constructorType);
    } catch (RuntimeException | LinkageError | ReflectiveOperationException e) {
      LOG.debug("cannot copy {} for {}; steps share it", template.getName(), functionClass, e);
      return null;
    }
  }

  private byte[] classFile() {
    byte[] read = bytes;
    if (read == null) {
      read = read();
      bytes = read;
    }
    return read;
  }

  private byte[] read() {
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
    return new byte[0];
  }
}
