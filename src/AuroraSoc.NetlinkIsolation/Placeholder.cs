namespace AuroraSoc.NetlinkIsolation;
internal static class Placeholder { }
