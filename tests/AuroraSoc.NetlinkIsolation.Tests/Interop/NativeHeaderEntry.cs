namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>One value to compare: our member (by key) and the C expression that the kernel headers give for it.</summary>
/// <param name="Key">"Type.Member" for constants; "sizeof Type", "offsetof Type.Field", "sizeof Type.Field" for layouts.</param>
/// <param name="CExpression">Evaluated by the probe program, cast to long long.</param>
internal sealed record NativeHeaderEntry(string Key, string CExpression);
