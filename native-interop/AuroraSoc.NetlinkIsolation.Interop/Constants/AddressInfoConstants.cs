namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

/// <summary>getaddrinfo(3)'s error codes (&lt;netdb.h&gt;, glibc; EAI_NODATA is a GNU extension).</summary>
internal static class AddressInfoConstants
{
    /// <summary>The name is not known (no such host).</summary>
    public const int EAI_NONAME = -2;

    /// <summary>A temporary failure: the name server could not be reached or answered SERVFAIL.</summary>
    public const int EAI_AGAIN = -3;

    /// <summary>A permanent failure of the name server.</summary>
    public const int EAI_FAIL = -4;

    /// <summary>The name exists but has no address.</summary>
    public const int EAI_NODATA = -5;

    /// <summary>Out of memory.</summary>
    public const int EAI_MEMORY = -10;

    /// <summary>A system error: errno says which.</summary>
    public const int EAI_SYSTEM = -11;
}
