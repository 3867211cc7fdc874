using Microsoft.Win32.SafeHandles;

namespace Folios.Tests.Buffers;

/// <summary>Vectored file I/O against a real temporary file, for every page size and allocation policy.</summary>
public sealed class FileIOTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"folios-io-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    public static TheoryData<int, AllocationPolicy> Configurations()
    {
        var data = new TheoryData<int, AllocationPolicy>();
        foreach (int pageSize in new[] { 4096, 16384, 65536 })
        {
            foreach (var policy in Enum.GetValues<AllocationPolicy>())
                data.Add(pageSize, policy);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task Reads_and_writes_match_the_file_byte_for_byte(int pageSize, AllocationPolicy policy)
    {
        using var allocator = BufferFactory.Allocator(pageSize);
        int length = 3 * pageSize + 123;
        var file = new byte[length + 777];
        new Random(pageSize).NextBytes(file);
        await File.WriteAllBytesAsync(_path, file);
        using var buffer = ExtentBuffer.Allocate(allocator, length, policy);

        using (var handle = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite))
        {
            buffer.ReadFrom(handle, 777);
            Assert.Equal(file[777..], Contents(buffer));

            buffer.Clear(0, length);
            await buffer.ReadFromAsync(handle, 0);
            Assert.Equal(file[..length], Contents(buffer));

            buffer.WriteUInt64LittleEndian(pageSize - 4, 0x1122334455667788);
            buffer.WriteTo(handle, 10);
            await buffer.WriteToAsync(handle, length + 5000); // past the end: the file grows
        }
        var written = await File.ReadAllBytesAsync(_path);
        var expected = Contents(buffer);
        Assert.Equal(expected, written[10..(10 + length)]);
        Assert.Equal(length + 5000 + length, written.Length);
        Assert.Equal(expected, written[(length + 5000)..]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_short_file_is_an_EndOfStreamException_naming_the_offset_and_the_bytes_read(bool async)
    {
        using var allocator = BufferFactory.Allocator(4096);
        await File.WriteAllBytesAsync(_path, Enumerable.Repeat((byte)7, 5000).ToArray());
        using var buffer = ExtentBuffer.Allocate(allocator, 8192);
        buffer.Write(0, Enumerable.Repeat((byte)1, 8192).ToArray());
        using var handle = File.OpenHandle(_path);

        var error = async
            ? await Assert.ThrowsAsync<EndOfStreamException>(() => buffer.ReadFromAsync(handle, 1000).AsTask())
            : Assert.Throws<EndOfStreamException>(() => buffer.ReadFrom(handle, 1000));

        Assert.Contains("ends 4000 bytes after offset 1000", error.Message);
        Assert.Contains("8192", error.Message);
        var contents = Contents(buffer);
        Assert.All(contents[..4000], b => Assert.Equal(7, b));
        Assert.All(contents[4000..], b => Assert.Equal(1, b));
    }

    [Fact]
    public async Task Bad_arguments_a_disposed_buffer_and_a_cancelled_token_fail_before_any_IO()
    {
        using var allocator = BufferFactory.Allocator(4096);
        await File.WriteAllBytesAsync(_path, new byte[8192]);
        var buffer = ExtentBuffer.Allocate(allocator, 4096);
        using var handle = File.OpenHandle(_path, FileMode.Open, FileAccess.ReadWrite);

        Assert.Throws<ArgumentNullException>(() => buffer.ReadFrom(null!, 0));
        Assert.Equal("fileOffset", Assert.Throws<ArgumentOutOfRangeException>(() => buffer.WriteTo(handle, -1)).ParamName);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => buffer.ReadFromAsync(handle, 0, new CancellationToken(true)).AsTask());
        buffer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.ReadFrom(handle, 0));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => buffer.WriteToAsync(handle, 0).AsTask());
    }

    [Fact]
    public void A_closed_file_handle_is_an_ObjectDisposedException_and_the_buffer_stays_usable()
    {
        using var allocator = BufferFactory.Allocator(4096);
        File.WriteAllBytes(_path, new byte[4096]);
        using var buffer = ExtentBuffer.Allocate(allocator, 4096);
        SafeFileHandle handle = File.OpenHandle(_path);
        handle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => buffer.ReadFrom(handle, 0));
        buffer.WriteByte(0, 9);
        Assert.Equal(9, buffer.ReadByte(0));
    }

    private static byte[] Contents(ExtentBuffer buffer)
    {
        var bytes = new byte[buffer.Length];
        buffer.Read(0, bytes);
        return bytes;
    }
}
