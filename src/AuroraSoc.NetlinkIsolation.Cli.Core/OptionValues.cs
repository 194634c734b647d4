namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>How many values an option takes on the command line.</summary>
internal enum OptionValues
{
    /// <summary>A switch: present or not (<c>--json</c>).</summary>
    None,

    /// <summary>One value; giving the option twice is invalid input (<c>--table NAME</c>).</summary>
    One,

    /// <summary>One value per occurrence, repeatable (<c>--collector A --collector B</c>).</summary>
    Repeated,
}
