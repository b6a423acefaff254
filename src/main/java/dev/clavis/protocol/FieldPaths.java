package dev.clavis.protocol;

import com.clarifai.grpc.api.status.StatusCode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.Locale;

/**
 * Sets a request field named by a dotted path ({@code user_app_id.user_id}, {@code
 * pagination.page}) from text, as REST path variables and query parameters give it. A repeated
 * field gets one element per call. Unknown names are ignored, like unknown JSON fields.
 */
final class FieldPaths {
    private FieldPaths() {}

    static void set(Message.Builder root, String path, String text) {
        Message.Builder builder = root;
        String[] names = path.split("\\.");
        for (int i = 0; i < names.length; i++) {
            FieldDescriptor field = builder.getDescriptorForType().findFieldByName(names[i]);
            if (field == null) return;
            boolean last = i == names.length - 1;
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()) {
                Message.Builder child = builder.getFieldBuilder(field);
                if (last) {
                    // Wrapper types (BoolValue, ...) take the text as their single value.
                    FieldDescriptor value = child.getDescriptorForType().findFieldByName("value");
                    if (value == null) return;
                    child.setField(value, convert(value, path, text));
                    return;
                }
                builder = child;
            } else if (!last || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                return; // a path through a scalar or a repeated message: not addressable from text
            } else if (field.isRepeated()) {
                builder.addRepeatedField(field, convert(field, path, text));
            } else {
                builder.setField(field, convert(field, path, text));
            }
        }
    }

    private static Object convert(FieldDescriptor field, String path, String text) {
        try {
            return switch (field.getJavaType()) {
                case STRING -> text;
                case INT -> isUnsigned(field) ? Integer.parseUnsignedInt(text) : Integer.parseInt(text);
                case LONG -> isUnsigned(field) ? Long.parseUnsignedLong(text) : Long.parseLong(text);
                case FLOAT -> Float.parseFloat(text);
                case DOUBLE -> Double.parseDouble(text);
                case BOOLEAN -> parseBoolean(text);
                case BYTE_STRING -> ByteString.copyFrom(Base64.getDecoder().decode(text));
                case ENUM -> enumValue(field, text);
                case MESSAGE -> throw new IllegalArgumentException("message");
            };
        } catch (IllegalArgumentException e) {
            throw new ApiException(StatusCode.CONN_BAD_REQUEST_FORMAT,
                    "Invalid value for " + path + ": expected " + field.getJavaType().name().toLowerCase(Locale.ROOT));
        }
    }

    private static boolean isUnsigned(FieldDescriptor f) {
        return switch (f.getType()) {
            case UINT32, FIXED32, UINT64, FIXED64 -> true;
            default -> false;
        };
    }

    private static boolean parseBoolean(String text) {
        if (text.equals("true")) return true;
        if (text.equals("false")) return false;
        throw new IllegalArgumentException(text);
    }

    private static EnumValueDescriptor enumValue(FieldDescriptor field, String text) {
        EnumValueDescriptor byName = field.getEnumType().findValueByName(text);
        if (byName != null) return byName;
        EnumValueDescriptor byNumber = field.getEnumType().findValueByNumber(Integer.parseInt(text));
        if (byNumber == null) throw new IllegalArgumentException(text);
        return byNumber;
    }
}
