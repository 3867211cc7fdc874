using System.Buffers;

namespace Folios.Resp;

/// <summary>
/// The arguments of the command being executed: slices of the connection's read buffer, valid until the connection
/// advances its pipe past them (after the command has run).
/// </summary>
internal sealed class RespArguments
{
    private byte[] _scratch = new byte[256];

    public List<ReadOnlySequence<byte>> Items { get; } = new(16);

    public int Count => Items.Count;

    public ReadOnlySequence<byte> this[int index] => Items[index];

    /// <summary>
    /// An argument as one span: its own memory when it lies in one segment, else a copy in this connection's
    /// scratch array, valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Span(int index)
    {
        var argument = Items[index];
        if (argument.IsSingleSegment)
            return argument.FirstSpan;
        if (_scratch.Length < argument.Length)
            _scratch = new byte[Math.Max(argument.Length, 2L * _scratch.Length)];
        argument.CopyTo(_scratch);
        return _scratch.AsSpan(0, (int)argument.Length);
    }
}
