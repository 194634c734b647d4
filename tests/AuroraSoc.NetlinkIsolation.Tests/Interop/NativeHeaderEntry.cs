namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>One value to compare: our member (by key) and the C expression that the kernel headers give for it.</summary>
/// <param name="Key">"Type.Member" for constants; "sizeof Type", "offsetof Type.Field", "sizeof Type.Field" for layouts.</param>
/// <param name="CExpression">Evaluated by the probe program, cast to long long.</param>
/// <param name="NewerThanHeader">
/// The kernel release that added the value, for a value the installed uapi header may predate; the expression then
/// gives 0 on such a header and the value is proven against the running kernel instead (a privileged test).
/// </param>
internal sealed record NativeHeaderEntry(string Key, string CExpression, string? NewerThanHeader = null);
