using System.Text.Json.Serialization;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Source-generated serialisation of intent files (no reflection: the library is trimmed and AOT-compiled).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(IntentDocument))]
internal sealed partial class IntentJsonContext : JsonSerializerContext;
