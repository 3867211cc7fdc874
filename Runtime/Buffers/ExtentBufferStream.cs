using System.Buffers;

namespace Folios;

/// <summary>
/// The stream of <see cref="ExtentBuffer.AsStream()"/>: seekable, readable and writable, of the buffer's fixed length,
/// reading and writing through the helpers. Like <see cref="MemoryStream"/> it may be positioned past the end (reads
/// there return 0) and its asynchronous calls complete at once; it is not thread-safe. It ends with its own disposal
/// or the buffer's (or the allocator's): then CanRead, CanSeek and CanWrite are false and every other member throws
/// <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class ExtentBufferStream : Stream
{
    private readonly ExtentBuffer _extent;
    private long _position;
    private bool _closed;

    public ExtentBufferStream(ExtentBuffer extent) => _extent = extent;

    public override bool CanRead => IsOpen;

    public override bool CanSeek => IsOpen;

    public override bool CanWrite => IsOpen;

    public override long Length
    {
        get
        {
            ThrowIfClosed();
            return _extent.Length;
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

    private bool IsOpen => !_closed && _extent.IsLive;

    public override int Read(Span<byte> buffer)
    {
        ThrowIfClosed();
        int count = (int)Math.Clamp(_extent.Length - _position, 0, buffer.Length);
        _extent.Read((int)Math.Min(_position, _extent.Length), buffer[..count]);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    /// <exception cref="NotSupportedException">The write would pass the buffer's end; nothing was written.</exception>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfClosed();
        // Compared as what is left, so that a position near long.MaxValue cannot overflow the sum.
        if (buffer.Length > _extent.Length - _position)
            throw new NotSupportedException($"The stream has the buffer's fixed length of {_extent.Length} bytes: writing {buffer.Length} bytes at position {_position} would pass its end. Nothing was written.");
        _extent.Write((int)_position, buffer);
        _position += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void WriteByte(byte value) => Write([value]);

    // Memory-backed: the asynchronous calls complete at once, as MemoryStream's do; argument errors throw at the call.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<int>(cancellationToken);
        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception error)
        {
            return ValueTask.FromException<int>(error);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        try
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
        catch (Exception error)
        {
            return ValueTask.FromException(error);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    // The APM pair over the calls above (as MemoryStream does): argument errors at Begin, every other at End.
    public override IAsyncResult BeginRead(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state) =>
        TaskToAsyncResult.Begin(ReadAsync(buffer, offset, count, CancellationToken.None), callback, state);

    public override int EndRead(IAsyncResult asyncResult) => TaskToAsyncResult.End<int>(asyncResult);

    public override IAsyncResult BeginWrite(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state) =>
        TaskToAsyncResult.Begin(WriteAsync(buffer, offset, count, CancellationToken.None), callback, state);

    public override void EndWrite(IAsyncResult asyncResult) => TaskToAsyncResult.End(asyncResult);

    /// <summary>Writes the rest of the buffer straight from its pages, without a bounce buffer.</summary>
    public override void CopyTo(Stream destination, int bufferSize)
    {
        ValidateCopyToArguments(destination, bufferSize);
        foreach (var block in Rest())
            destination.Write(block.Span);
    }

    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ValidateCopyToArguments(destination, bufferSize);
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled(cancellationToken);
        return CopyRestAsync(destination, cancellationToken);

        async Task CopyRestAsync(Stream destination, CancellationToken cancellationToken)
        {
            foreach (var block in Rest())
                await destination.WriteAsync(block, cancellationToken).ConfigureAwait(false);
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfClosed();
        long from = origin switch
        {
            SeekOrigin.Begin => 0,
            SeekOrigin.Current => _position,
            SeekOrigin.End => _extent.Length,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Unknown seek origin."),
        };
        if (offset < -from)
            throw new IOException($"Seeking {offset} bytes from {origin} (at {from}) would move before the start of the stream.");
        if (offset > long.MaxValue - from)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Seeking {offset} bytes from {origin} (at {from}) passes the largest position.");
        return _position = from + offset;
    }

    /// <exception cref="NotSupportedException">Always: the length is the buffer's.</exception>
    public override void SetLength(long value)
    {
        ThrowIfClosed();
        throw new NotSupportedException($"The stream has the buffer's fixed length of {_extent.Length} bytes.");
    }

    public override void Flush() => ThrowIfClosed();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled(cancellationToken);
        try
        {
            Flush();
            return Task.CompletedTask;
        }
        catch (Exception error)
        {
            return Task.FromException(error);
        }
    }

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    /// <summary>The blocks from the position to the end, and the position moved there.</summary>
    private ReadOnlySequence<byte> Rest()
    {
        ThrowIfClosed();
        long start = Math.Min(_position, _extent.Length);
        var rest = _extent.AsSequence((int)start, (int)(_extent.Length - start));
        _position = Math.Max(_position, _extent.Length);
        return rest;
    }

    private void ThrowIfClosed()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _extent.ThrowIfDisposed();
    }
}
