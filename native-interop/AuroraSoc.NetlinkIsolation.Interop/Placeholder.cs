namespace AuroraSoc.NetlinkIsolation.Interop;
internal static class Placeholder { }
