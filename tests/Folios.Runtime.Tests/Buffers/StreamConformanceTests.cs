namespace Folios.Tests.Buffers;

/// <summary>
/// <see cref="ExtentBuffer.AsStream()"/> held to what any <see cref="Stream"/> consumer may expect, in the spirit of
/// dotnet/runtime's stream conformance tests: every way to read and write, seeking from each origin, positions past
/// the end, the fixed length, argument errors with the base class's parameter names, cancellation, and the state after
/// the stream's, the buffer's or the allocator's disposal. A fixed-capacity <see cref="MemoryStream"/> is the model.
/// </summary>
public class StreamConformanceTests
{
    private const int Length = 10000;

    /// <summary>The forms of a read or a write a consumer may use.</summary>
    public enum Mode
    {
        SyncByte,
        SyncSpan,
        SyncArray,
        AsyncArray,
        AsyncMemory,
        SyncApm,
        AsyncApm,
    }

    /// <summary>The forms of a seek.</summary>
    public enum Seek
    {
        Position,
        FromBegin,
        FromCurrent,
        FromEnd,
    }

    public static TheoryData<BufferLayout, Mode> LayoutsAndModes()
    {
        var cases = new TheoryData<BufferLayout, Mode>();
        foreach (var layout in Enum.GetValues<BufferLayout>())
        {
            foreach (var mode in Enum.GetValues<Mode>())
                cases.Add(layout, mode);
        }
        return cases;
    }

    public static TheoryData<Mode> Modes() => new(Enum.GetValues<Mode>());

    public static TheoryData<Seek> Seeks() => new(Enum.GetValues<Seek>());

    [Fact]
    public void An_open_stream_reads_writes_and_seeks_has_the_buffer_s_length_and_no_timeouts()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        Assert.True(stream.CanRead);
        Assert.True(stream.CanSeek);
        Assert.True(stream.CanWrite);
        Assert.False(stream.CanTimeout);
        Assert.Equal(Length, stream.Length);
        Assert.Equal(0, stream.Position);
        Assert.Throws<InvalidOperationException>(() => stream.ReadTimeout);
        Assert.Throws<InvalidOperationException>(() => stream.WriteTimeout = 1);
    }

    [Theory]
    [MemberData(nameof(LayoutsAndModes))]
    public async Task Bytes_written_in_chunks_across_pages_read_back_the_same_in_every_mode(BufferLayout layout, Mode mode)
    {
        using var allocator = BufferFactory.AllocatorFor(layout, 4096);
        using var buffer = BufferFactory.Create(allocator, layout, Length);
        using var stream = buffer.AsStream();
        var data = RandomBytes(Length, seed: (int)mode);
        int[] chunks = [1, 4094, 3, 4096, 1805, 1, 0];
        int at = 0;
        foreach (int chunk in chunks)
        {
            await Write(mode, stream, data, at, chunk);
            at += chunk;
            Assert.Equal(at, stream.Position);
        }
        Assert.Equal(Length, at);
        Assert.Equal(data, Contents(buffer));

        stream.Position = 0;
        var back = new byte[Length];
        at = 0;
        foreach (int chunk in chunks)
        {
            Assert.Equal(chunk, await ReadFully(mode, stream, back, at, chunk));
            at += chunk;
            Assert.Equal(at, stream.Position);
        }
        Assert.Equal(data, back);
        Assert.Equal(0, await Read(mode, stream, new byte[10], 0, 10));
        Assert.Equal(-1, stream.ReadByte());
        Assert.Equal(Length, stream.Position);
    }

    [Theory]
    [MemberData(nameof(Seeks))]
    public void Every_seek_lands_where_a_MemoryStream_s_does_including_past_the_end(Seek seek)
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        var model = new MemoryStream(new byte[Length], writable: true);
        foreach (long target in new long[] { 0, 1, 4095, 4096, Length - 1, Length, Length + 1, Length + 5000, 7, 0 })
        {
            long landed = SeekTo(seek, stream, target);
            Assert.Equal(SeekTo(seek, model, target), landed);
            Assert.Equal(target, landed);
            Assert.Equal(target, stream.Position);
        }
    }

    [Theory]
    [MemberData(nameof(Seeks))]
    public void Seeking_before_the_start_throws_IOException_and_keeps_the_position(Seek seek)
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        stream.Position = 300;
        if (seek == Seek.Position)
        {
            Assert.Equal("value", Assert.Throws<ArgumentOutOfRangeException>(() => stream.Position = -1).ParamName);
        }
        else
        {
            var error = Assert.Throws<IOException>(() => SeekTo(seek, stream, -1));
            Assert.Contains("before the start", error.Message);
            Assert.Throws<IOException>(() => SeekTo(seek, stream, long.MinValue + Length));
        }
        Assert.Equal(300, stream.Position);
    }

    [Fact]
    public void Seeking_to_the_start_from_each_origin_is_allowed()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        stream.Position = 50;
        Assert.Equal(0, stream.Seek(-Length, SeekOrigin.End));
        stream.Position = 50;
        Assert.Equal(0, stream.Seek(-50, SeekOrigin.Current));
        Assert.Equal(0, stream.Seek(0, SeekOrigin.Begin));
    }

    [Fact]
    public void Seeking_beyond_the_largest_position_or_from_an_unknown_origin_is_an_argument_error()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        stream.Position = 10;
        var tooFar = Assert.Throws<ArgumentOutOfRangeException>(() => stream.Seek(long.MaxValue, SeekOrigin.Current));
        Assert.Equal("offset", tooFar.ParamName);
        Assert.Contains("passes the largest position", tooFar.Message);
        Assert.Equal("offset", Assert.Throws<ArgumentOutOfRangeException>(() => stream.Seek(long.MaxValue - Length + 1, SeekOrigin.End)).ParamName);
        Assert.Equal(10, stream.Position);
        Assert.Equal(long.MaxValue, stream.Seek(long.MaxValue - Length, SeekOrigin.End));
        foreach (var origin in new[] { (SeekOrigin)(-1), (SeekOrigin)3, ~SeekOrigin.Begin })
        {
            var unknown = Assert.ThrowsAny<ArgumentException>(() => stream.Seek(0, origin));
            Assert.Equal("origin", unknown.ParamName);
            Assert.Contains("Unknown seek origin", unknown.Message);
        }
        Assert.Equal(long.MaxValue, stream.Position);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Past_the_end_reads_return_nothing_and_writes_are_refused_without_writing(Mode mode)
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        var before = RandomBytes(Length, seed: 3);
        buffer.Write(0, before);
        foreach (long position in new long[] { Length, Length + 1, long.MaxValue })
        {
            stream.Position = position;
            Assert.Equal(0, await Read(mode, stream, new byte[8], 0, 8));
            var refused = await Assert.ThrowsAsync<NotSupportedException>(() => Write(mode, stream, new byte[8], 0, 8));
            Assert.Contains("fixed length of 10000 bytes", refused.Message);
            Assert.Contains("Nothing was written", refused.Message);
            Assert.Equal(position, stream.Position);
        }
        // A write that starts inside but would run past the end writes nothing at all (WriteByte writes one byte a
        // call, so it has no such write).
        stream.Position = Length - 3;
        if (mode != Mode.SyncByte)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => Write(mode, stream, new byte[4], 0, 4));
            Assert.Equal(Length - 3, stream.Position);
        }
        Assert.Equal(before, Contents(buffer));
        // What fits exactly is written; an empty write at the end is allowed, one past the end is not.
        await Write(mode, stream, [1, 2, 3], 0, 3);
        Assert.Equal(Length, stream.Position);
        stream.Write([]);
        stream.Position = Length + 1;
        Assert.Throws<NotSupportedException>(() => stream.Write([]));
        Assert.Equal(new byte[] { 1, 2, 3 }, Contents(buffer)[^3..]);
    }

    [Fact]
    public void A_read_near_the_end_returns_what_is_left()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        buffer.Write(Length - 3, [7, 8, 9]);
        using var stream = buffer.AsStream();
        stream.Position = Length - 3;
        var into = new byte[10];
        Assert.Equal(3, stream.Read(into, 2, 8));
        Assert.Equal(new byte[] { 0, 0, 7, 8, 9, 0, 0, 0, 0, 0 }, into);
        Assert.Equal(Length, stream.Position);
        Assert.Equal(0, stream.Read(into));
    }

    [Fact]
    public void SetLength_is_not_supported_and_changes_nothing()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        foreach (long value in new long[] { 0, Length, Length + 1, -1 })
            Assert.Contains("fixed length of 10000 bytes", Assert.Throws<NotSupportedException>(() => stream.SetLength(value)).Message);
        Assert.Equal(Length, stream.Length);
    }

    [Fact]
    public async Task Flush_does_nothing_and_completes_at_once()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        stream.Write([5, 6]);
        stream.Flush();
        var flushed = stream.FlushAsync();
        Assert.True(flushed.IsCompletedSuccessfully);
        await flushed;
        Assert.Equal(2, stream.Position);
        Assert.Equal(6, buffer.ReadByte(1));
    }

    [Fact]
    public async Task The_asynchronous_calls_complete_at_once()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        Assert.True(stream.WriteAsync(new byte[5]).IsCompletedSuccessfully);
        Assert.True(stream.WriteAsync(new byte[5], 0, 5).IsCompletedSuccessfully);
        stream.Position = 0;
        var read = stream.ReadAsync(new byte[5]);
        Assert.True(read.IsCompletedSuccessfully);
        Assert.Equal(5, await read);
        var readArray = stream.ReadAsync(new byte[5], 0, 5);
        Assert.True(readArray.IsCompletedSuccessfully);
        Assert.Equal(5, await readArray);
    }

    [Theory]
    [MemberData(nameof(Seeks))]
    public async Task CopyTo_writes_from_the_position_to_the_end_and_moves_there(Seek seek)
    {
        using var allocator = BufferFactory.AllocatorFor(BufferLayout.Pages, 4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        var data = RandomBytes(Length, seed: 9);
        buffer.Write(0, data);
        using var stream = buffer.AsStream();
        foreach (long start in new long[] { 0, 4095, Length - 1, Length, Length + 7 })
        {
            bool asynchronous = start % 2 == 1;
            SeekTo(seek, stream, start);
            var copy = new MemoryStream();
            if (asynchronous)
                await stream.CopyToAsync(copy);
            else
                stream.CopyTo(copy);
            Assert.Equal(data[(int)Math.Min(start, Length)..], copy.ToArray());
            Assert.Equal(Math.Max(start, Length), stream.Position);
        }
    }

    [Fact]
    public void Bad_arguments_name_the_base_class_s_parameters_and_throw_at_the_call()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        using var stream = buffer.AsStream();
        var one = new byte[1];
        foreach (var (offset, count) in new[] { (0, 0), (1, 2) })
        {
            Assert.Equal("buffer", Assert.Throws<ArgumentNullException>(() => stream.Read(null!, offset, count)).ParamName);
            Assert.Equal("buffer", Assert.Throws<ArgumentNullException>(() => { _ = stream.ReadAsync(null!, offset, count); }).ParamName);
            Assert.Equal("buffer", Assert.Throws<ArgumentNullException>(() => stream.EndRead(stream.BeginRead(null!, offset, count, null, null))).ParamName);
            Assert.Equal("buffer", Assert.Throws<ArgumentNullException>(() => stream.Write(null!, offset, count)).ParamName);
            Assert.Equal("buffer", Assert.Throws<ArgumentNullException>(() => { _ = stream.WriteAsync(null!, offset, count); }).ParamName);
            Assert.Equal("buffer", Assert.Throws<ArgumentNullException>(() => stream.EndWrite(stream.BeginWrite(null!, offset, count, null, null))).ParamName);
        }
        var misuse = new (int Offset, int Count, string Parameter)[] { (-1, 0, "offset"), (0, -1, "count"), (0, 2, "count"), (1, 1, "count"), (2, 0, "count"), (int.MaxValue, int.MaxValue, "count") };
        foreach (var (offset, count, parameter) in misuse)
        {
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => stream.Read(one, offset, count)).ParamName);
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => { _ = stream.ReadAsync(one, offset, count); }).ParamName);
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => stream.Write(one, offset, count)).ParamName);
            Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => { _ = stream.WriteAsync(one, offset, count); }).ParamName);
        }
        Assert.Equal("asyncResult", Assert.Throws<ArgumentNullException>(() => stream.EndRead(null!)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => stream.CopyTo(null!)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentNullException>(() => { _ = stream.CopyToAsync(null!); }).ParamName);
        foreach (int bufferSize in new[] { 0, -1 })
        {
            Assert.Equal("bufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => stream.CopyTo(new MemoryStream(), bufferSize)).ParamName);
            Assert.Equal("bufferSize", Assert.Throws<ArgumentOutOfRangeException>(() => { _ = stream.CopyToAsync(new MemoryStream(), bufferSize); }).ParamName);
        }
        Assert.Throws<NotSupportedException>(() => stream.CopyTo(new MemoryStream(new byte[1], writable: false)));
        Assert.Throws<NotSupportedException>(() => { _ = stream.CopyToAsync(new MemoryStream(new byte[1], writable: false)); });
        var closed = new MemoryStream();
        closed.Dispose();
        Assert.Throws<ObjectDisposedException>(() => stream.CopyTo(closed));
        Assert.Throws<ObjectDisposedException>(() => { _ = stream.CopyToAsync(closed); });
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task A_cancelled_token_cancels_each_asynchronous_call_before_it_touches_anything()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, Length);
        buffer.Write(0, [1, 2, 3, 4]);
        using var stream = buffer.AsStream();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var into = new byte[4];
        var copy = new MemoryStream();
        var calls = new Func<Task>[]
        {
            () => stream.ReadAsync(into, 0, 4, cancel.Token),
            () => stream.ReadAsync(into.AsMemory(), cancel.Token).AsTask(),
            () => stream.WriteAsync(new byte[4], 0, 4, cancel.Token),
            () => stream.WriteAsync(new byte[4].AsMemory(), cancel.Token).AsTask(),
            () => stream.FlushAsync(cancel.Token),
            () => stream.CopyToAsync(copy, cancel.Token),
        };
        foreach (var call in calls)
        {
            var task = call();
            Assert.True(task.IsCanceled);
            Assert.Equal(cancel.Token, (await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task)).CancellationToken);
        }
        Assert.Equal(0, stream.Position);
        Assert.Equal(new byte[4], into);
        Assert.Equal(0, copy.Length);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, Contents(buffer)[..4]);
    }

    public static TheoryData<string> Endings() => new() { "stream", "stream async", "buffer", "allocator" };

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task After_the_stream_or_its_buffer_or_allocator_is_disposed_every_member_refuses(string ending)
    {
        var allocator = BufferFactory.Allocator(4096);
        var buffer = ExtentBuffer.Allocate(allocator, Length);
        var stream = buffer.AsStream();
        stream.Position = 5;
        switch (ending)
        {
            case "stream":
                stream.Dispose();
                stream.Dispose();
                stream.Close();
                break;
            case "stream async":
                await stream.DisposeAsync();
                break;
            case "buffer":
                buffer.Dispose();
                break;
            default:
                allocator.Dispose();
                break;
        }

        Assert.False(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        var one = new byte[1];
        var refused = new Action[]
        {
            () => stream.ReadByte(), () => _ = stream.Read(one.AsSpan()), () => _ = stream.Read(one, 0, 1),
            () => stream.EndRead(stream.BeginRead(one, 0, 1, null, null)),
            () => stream.WriteByte(1), () => stream.Write(one.AsSpan()), () => stream.Write(one, 0, 1),
            () => stream.EndWrite(stream.BeginWrite(one, 0, 1, null, null)),
            stream.Flush, () => stream.CopyTo(new MemoryStream()),
            () => _ = stream.Length, () => _ = stream.Position, () => stream.Position = 0,
            () => stream.Seek(0, SeekOrigin.Begin), () => stream.SetLength(1),
        };
        foreach (var call in refused)
            Assert.Throws<ObjectDisposedException>(call);
        var refusedAsync = new Func<Task>[]
        {
            () => stream.ReadAsync(one, 0, 1), () => stream.ReadAsync(one.AsMemory()).AsTask(),
            () => stream.WriteAsync(one, 0, 1), () => stream.WriteAsync(one.AsMemory()).AsTask(),
            stream.FlushAsync, () => stream.CopyToAsync(new MemoryStream()),
        };
        foreach (var call in refusedAsync)
            await Assert.ThrowsAsync<ObjectDisposedException>(call);
        Assert.Throws<InvalidOperationException>(() => stream.ReadTimeout);

        if (ending.StartsWith("stream", StringComparison.Ordinal))
        {
            // Only the stream ended: the buffer is still there, untouched.
            buffer.WriteByte(5, 9);
            Assert.Equal(9, buffer.ReadByte(5));
            using var again = buffer.AsStream();
            Assert.True(again.CanRead);
        }
        else
        {
            Assert.Contains("disposed", Assert.Throws<ObjectDisposedException>(() => stream.ReadByte()).Message);
        }
        buffer.Dispose();
        allocator.Dispose();
    }

    private static long SeekTo(Seek seek, Stream stream, long position)
    {
        switch (seek)
        {
            case Seek.Position:
                stream.Position = position;
                return stream.Position;
            case Seek.FromBegin:
                return stream.Seek(position, SeekOrigin.Begin);
            case Seek.FromCurrent:
                return stream.Seek(position - stream.Position, SeekOrigin.Current);
            default:
                return stream.Seek(position - stream.Length, SeekOrigin.End);
        }
    }

    private static async Task<int> Read(Mode mode, Stream stream, byte[] into, int offset, int count)
    {
        switch (mode)
        {
            case Mode.SyncByte:
                if (count == 0)
                    return 0;
                int value = stream.ReadByte();
                if (value < 0)
                    return 0;
                into[offset] = (byte)value;
                return 1;
            case Mode.SyncSpan:
                return stream.Read(into.AsSpan(offset, count));
            case Mode.SyncArray:
                return stream.Read(into, offset, count);
            case Mode.AsyncArray:
                return await stream.ReadAsync(into, offset, count);
            case Mode.AsyncMemory:
                return await stream.ReadAsync(into.AsMemory(offset, count));
            case Mode.SyncApm:
                return stream.EndRead(stream.BeginRead(into, offset, count, null, null));
            default:
                return await Task.Factory.FromAsync(stream.BeginRead, stream.EndRead, into, offset, count, null);
        }
    }

    /// <summary>Reads until <paramref name="count"/> bytes or the end (ReadByte gives one byte a call).</summary>
    private static async Task<int> ReadFully(Mode mode, Stream stream, byte[] into, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int read = await Read(mode, stream, into, offset + total, count - total);
            if (read == 0)
                break;
            // Every form but ReadByte fills what it is given while the stream has bytes.
            Assert.True(mode == Mode.SyncByte || read == count - total);
            total += read;
        }
        return total;
    }

    private static async Task Write(Mode mode, Stream stream, byte[] from, int offset, int count)
    {
        switch (mode)
        {
            case Mode.SyncByte:
                for (int i = offset; i < offset + count; i++)
                    stream.WriteByte(from[i]);
                break;
            case Mode.SyncSpan:
                stream.Write(from.AsSpan(offset, count));
                break;
            case Mode.SyncArray:
                stream.Write(from, offset, count);
                break;
            case Mode.AsyncArray:
                await stream.WriteAsync(from, offset, count);
                break;
            case Mode.AsyncMemory:
                await stream.WriteAsync(from.AsMemory(offset, count));
                break;
            case Mode.SyncApm:
                stream.EndWrite(stream.BeginWrite(from, offset, count, null, null));
                break;
            default:
                await Task.Factory.FromAsync(stream.BeginWrite, stream.EndWrite, from, offset, count, null);
                break;
        }
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] Contents(ExtentBuffer buffer)
    {
        var bytes = new byte[buffer.Length];
        buffer.Read(0, bytes);
        return bytes;
    }
}
