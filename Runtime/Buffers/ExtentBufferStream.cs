namespace Folios;

/// <summary>The stream of <see cref="ExtentBuffer.AsStream"/>: fixed length, seekable, reads and writes through the helpers.</summary>
internal sealed class ExtentBufferStream(ExtentBuffer buffer) : Stream
{
    private long _position;
    private bool _closed;

    public override bool CanRead => !_closed;

    public override bool CanSeek => !_closed;

    public override bool CanWrite => !_closed;

    public override long Length
    {
        get
        {
            ThrowIfClosed();
            return buffer.Length;
        }
    }

    public override long Position
    {
        get
        {
            ThrowIfClosed();
            return _position;
        }
        set
        {
            ThrowIfClosed();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(Span<byte> destination)
    {
        ThrowIfClosed();
        int count = (int)Math.Clamp(buffer.Length - _position, 0, destination.Length);
        buffer.Read((int)Math.Min(_position, buffer.Length), destination[..count]);
        _position += count;
        return count;
    }

    public override int Read(byte[] array, int offset, int count)
    {
        ValidateBufferArguments(array, offset, count);
        return Read(array.AsSpan(offset, count));
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    /// <exception cref="NotSupportedException">The write would pass the buffer's end; nothing was written.</exception>
    public override void Write(ReadOnlySpan<byte> source)
    {
        ThrowIfClosed();
        if (_position + source.Length > buffer.Length)
            throw new NotSupportedException($"The stream has the buffer's fixed length of {buffer.Length} bytes: writing {source.Length} bytes at position {_position} would pass its end. Nothing was written.");
        buffer.Write((int)_position, source);
        _position += source.Length;
    }

    public override void Write(byte[] array, int offset, int count)
    {
        ValidateBufferArguments(array, offset, count);
        Write(array.AsSpan(offset, count));
    }

    public override void WriteByte(byte value) => Write([value]);

    // Memory-backed: the asynchronous calls complete at once, as MemoryStream's do.
    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<int>(cancellationToken);
        try
        {
            return ValueTask.FromResult(Read(destination.Span));
        }
        catch (Exception error)
        {
            return ValueTask.FromException<int>(error);
        }
    }

    public override Task<int> ReadAsync(byte[] array, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(array.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        try
        {
            Write(source.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception error)
        {
            return ValueTask.FromException(error);
        }
    }

    public override Task WriteAsync(byte[] array, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(array.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfClosed();
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => buffer.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown seek origin."),
        };
        if (target < 0)
            throw new IOException($"Seeking to {target} would move before the start of the stream.");
        return _position = target;
    }

    /// <exception cref="NotSupportedException">Always: the length is the buffer's.</exception>
    public override void SetLength(long value) =>
        throw new NotSupportedException($"The stream has the buffer's fixed length of {buffer.Length} bytes.");

    public override void Flush() => ThrowIfClosed();

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
