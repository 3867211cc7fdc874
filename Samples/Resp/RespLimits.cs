namespace Folios.Resp;

/// <summary>What one command may ask for: anything larger is a protocol error and closes the connection, so a
/// client can never make the server buffer without bound.</summary>
internal sealed record RespLimits
{
    /// <summary>The most arguments of one command (Redis allows 1024 * 1024 as well).</summary>
    public int MaxArguments { get; init; } = 1024 * 1024;

    /// <summary>The longest bulk string (a key or a value).</summary>
    public int MaxBulkLength { get; init; } = 4 << 20;

    /// <summary>The most bytes one command may span, headers included.</summary>
    public int MaxCommandBytes { get; init; } = 8 << 20;

    /// <summary>The longest inline command (a line without the <c>*</c> header, as telnet sends).</summary>
    public int MaxInlineLength { get; init; } = 64 << 10;
}
