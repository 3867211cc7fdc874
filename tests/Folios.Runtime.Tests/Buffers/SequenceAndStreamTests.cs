using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Folios.Tests.Buffers;

/// <summary>AsSequence, AsStream and Folio.AsMemory against a byte[] model.</summary>
public class SequenceAndStreamTests
{
    [Theory]
    [MemberData(nameof(ExtentBufferModelTests.Configurations), MemberType = typeof(ExtentBufferModelTests))]
    public void Every_range_as_a_sequence_holds_the_bytes_of_the_model(BufferLayout layout, int pageSize)
    {
        using var allocator = BufferFactory.AllocatorFor(layout, pageSize);
        int length = 3 * pageSize + 99;
        using var buffer = BufferFactory.Create(allocator, layout, length);
        var model = new byte[length];
        new Random(3).NextBytes(model);
        buffer.Write(0, model);
        Gen.Int[0, length].SelectMany(offset => Gen.Int[0, length - offset].Select(count => (offset, count))).Sample(range =>
        {
            var sequence = buffer.AsSequence(range.offset, range.count);
            bool oneBlock = layout != BufferLayout.Pages || range.count == 0
                || (range.offset / pageSize == (range.offset + range.count - 1) / pageSize);
            return sequence.Length == range.count
                && sequence.ToArray().AsSpan().SequenceEqual(model.AsSpan(range.offset, range.count))
                && (!oneBlock || sequence.IsSingleSegment);
        }, iter: 300, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void A_sequence_over_scattered_pages_has_a_segment_per_page_and_readers_cross_them()
    {
        using var allocator = BufferFactory.Allocator(4096, pages: 16);
        var all = new Folio[16];
        allocator.AllocatePages(all);
        for (int i = 0; i < all.Length; i += 2)
            allocator.Free(all[i]);
        using var buffer = ExtentBuffer.Allocate(allocator, 3 * 4096);
        var json = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('x', 4080) + "\",\"value\":42}");
        buffer.Write(10, json);
        buffer.WriteUInt32LittleEndian(8190, 0xDEADBEEF);

        var sequence = buffer.AsSequence(0, buffer.Length);
        Assert.False(sequence.IsSingleSegment);
        Assert.Equal(3, CountSegments(sequence));

        var reader = new SequenceReader<byte>(buffer.AsSequence(8190, 4));
        Assert.True(reader.TryReadLittleEndian(out int value));
        Assert.Equal(unchecked((int)0xDEADBEEF), value);

        using var document = JsonDocument.Parse(buffer.AsSequence(10, json.Length));
        Assert.Equal(42, document.RootElement.GetProperty("value").GetInt32());
    }

    [Fact]
    public void A_sequence_of_a_disposed_buffer_refuses_to_be_read()
    {
        using var allocator = BufferFactory.Allocator(4096);
        var buffer = ExtentBuffer.Allocate(allocator, 8192);
        var sequence = buffer.AsSequence(0, 8192);
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sequence.First.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.AsSequence(0, 1));
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => ExtentBuffer.Allocate(allocator, 10).AsSequence(5, 6)).ParamName);
    }

    [Fact]
    public async Task The_stream_reads_writes_and_seeks_like_a_MemoryStream_of_fixed_length()
    {
        using var allocator = BufferFactory.Allocator(4096);
        using var buffer = ExtentBuffer.Allocate(allocator, 10000);
        var model = new MemoryStream(new byte[10000], writable: true);
        using var stream = buffer.AsStream();
        var random = new Random(5);
        for (int step = 0; step < 400; step++)
        {
            int position = random.Next(0, 10100);
            int count = random.Next(0, 5000);
            stream.Position = model.Position = position;
            if (random.Next(2) == 0)
            {
                var expected = new byte[count];
                var actual = new byte[count];
                int read = step % 3 == 0 ? await stream.ReadAsync(actual) : stream.Read(actual);
                Assert.Equal(model.Read(expected), read);
                Assert.Equal(expected, actual);
            }
            else if (position + count <= 10000)
            {
                var data = new byte[count];
                random.NextBytes(data);
                if (step % 3 == 0)
                    await stream.WriteAsync(data);
                else
                    stream.Write(data);
                model.Write(data);
            }
            else
            {
                Assert.Throws<NotSupportedException>(() => stream.Write(new byte[count]));
            }
            Assert.Equal(model.Position, stream.Position);
        }
        var contents = new byte[10000];
        buffer.Read(0, contents);
        Assert.Equal(model.ToArray(), contents);
        Assert.Equal(9990, stream.Seek(-10, SeekOrigin.End));
        Assert.Throws<IOException>(() => stream.Seek(-1, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(5));
    }

    [Fact]
    public void Disposing_the_stream_leaves_the_buffer_and_disposing_the_buffer_ends_the_stream()
    {
        using var allocator = BufferFactory.Allocator(4096);
        var buffer = ExtentBuffer.Allocate(allocator, 100);
        var first = buffer.AsStream();
        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.ReadByte());
        Assert.False(first.CanRead);
        buffer.WriteByte(3, 4);
        var second = buffer.AsStream();
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => second.ReadByte());
        Assert.Throws<ObjectDisposedException>(() => buffer.AsStream());
    }

    [Fact]
    public void Folio_memory_works_until_the_folio_is_freed_and_then_refuses()
    {
        using var allocator = BufferFactory.Allocator(4096);
        var folio = allocator.Allocate(1);
        var memory = folio.AsMemory();
        Assert.Equal(8192, memory.Length);
        memory.Span[8191] = 5;
        using (var pinned = memory[100..].Pin())
            unsafe { Assert.Equal(0, *(byte*)pinned.Pointer); }
        Assert.Equal(5, folio.Span[8191]);
        allocator.Free(folio);
        Assert.Throws<ObjectDisposedException>(() => memory.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => memory.Pin());
        Assert.Throws<ObjectDisposedException>(() => folio.AsMemory());
        Assert.Throws<InvalidOperationException>(() => default(Folio).AsMemory());
    }

    private static int CountSegments(ReadOnlySequence<byte> sequence)
    {
        int count = 0;
        foreach (var _ in sequence)
            count++;
        return count;
    }
}
