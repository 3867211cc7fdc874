namespace Folios;

/// <summary>
/// The one cross-page walk: the pieces of a buffer range, each lying within one page (or the whole range at once
/// when the buffer is contiguous). Every <see cref="ExtentBuffer"/> helper is built on it, as btrfs builds its
/// accessors on one loop in extent_io.c.
/// </summary>
internal unsafe ref struct PageSegments
{
    private readonly ExtentBuffer _buffer;
    private int _offset;
    private int _remaining;
    private Span<byte> _current;

    public PageSegments(ExtentBuffer buffer, int offset, int length)
    {
        _buffer = buffer;
        _offset = offset;
        _remaining = length;
        _current = default;
    }

    /// <summary>The buffer offset of <see cref="Current"/>.</summary>
    public int Offset { get; private set; }

    public readonly Span<byte> Current => _current;

    public readonly PageSegments GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_remaining == 0)
            return false;
        Offset = _offset;
        _current = _buffer.SegmentAt(_offset, _remaining);
        _offset += _current.Length;
        _remaining -= _current.Length;
        return true;
    }
}
