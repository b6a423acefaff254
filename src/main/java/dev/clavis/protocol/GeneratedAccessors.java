package dev.clavis.protocol;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Methods of protoc-generated classes bound once as lambdas. Protobuf's own generic access
 * ({@code Message.getField}, {@code Builder.setField}) goes through its reflection table and
 * {@code Method.invoke} on every call; a bound lambda is an ordinary call the JIT can inline.
 */
final class GeneratedAccessors {
    private GeneratedAccessors() {}

    /**
     * The public method {@code owner.method(parameters)} as an instance of {@code functional},
     * whose single abstract method {@code functionalMethod} takes {@code Object} for the owner and
     * each parameter and returns {@code erasedReturn} ({@code Object}, or a primitive as it is).
     */
    @SuppressWarnings("unchecked")
    static <T> T bind(Class<?> owner, String method, Class<?>[] parameters, Class<T> functional, String functionalMethod,
                      Class<?> erasedReturn) throws Throwable {
        Method m = owner.getMethod(method, parameters);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle target = lookup.unreflect(m);
        Class<?> returned = erasedReturn.isPrimitive() ? m.getReturnType() : MethodType.methodType(m.getReturnType()).wrap().returnType();
        Class<?>[] erasedParameters = new Class<?>[parameters.length + 1];
        Arrays.fill(erasedParameters, Object.class);
        MethodType instantiated = MethodType.methodType(returned, owner, parameters);
        CallSite site = LambdaMetafactory.metafactory(lookup, functionalMethod, MethodType.methodType(functional),
                MethodType.methodType(erasedReturn, erasedParameters), target, instantiated);
        return (T) site.getTarget().invoke();
    }

    /** A field name as protoc spells it in method names: {@code input_id} → {@code InputId}, {@code x2_y} → {@code X2Y}. */
    static String camelCase(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean capitalize = true;
        for (char c : name.toCharArray()) {
            if (c >= 'a' && c <= 'z') {
                out.append(capitalize ? (char) (c - 'a' + 'A') : c);
                capitalize = false;
            } else if (c >= 'A' && c <= 'Z') {
                out.append(c);
                capitalize = false;
            } else if (c >= '0' && c <= '9') {
                out.append(c);
                capitalize = true;
            } else {
                capitalize = true;
            }
        }
        return out.toString();
    }
}
