namespace Folios.Analyzers.Tests;

/// <summary>Wraps statements in a class that has an allocator, a buffer and helper wrappers in scope.</summary>
internal static class Snippets
{
    /// <summary>The code without its diagnostic markers (<c>{|FOLIO014:</c> ... <c>|}</c>): the same case, expected silent.</summary>
    public static string Unmarked(string body) =>
        System.Text.RegularExpressions.Regex.Replace(body, @"\{\|FOLIO\d{3}:", "").Replace("|}", "", StringComparison.Ordinal);

    public const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Buffers.Binary;\nusing System.Runtime.InteropServices;\nusing System.Threading.Tasks;\nusing Folios;\n";

    /// <summary>Wraps statements in a class that rents from pools, for the pool rules (no Folios needed).</summary>
    public static string WithPools(string body, string members = "") => "using System;\nusing System.Buffers;\nusing System.IO;\nusing System.Collections.Generic;\n" + $$"""
        class C
        {
            readonly ArrayPool<byte> _pool = ArrayPool<byte>.Create();
            byte[] _kept;
            Stream _stream = Stream.Null;
            static void Fill(byte[] a) { }
            static void Work() { }
            {{members}}
            void M(int n, byte[] source)
            {
                var pool = ArrayPool<byte>.Shared;
                {{body}}
            }
        }
        """;

    /// <summary>Wraps statements in an async method that reads a pipe, for the Pipelines rules (no Folios needed).</summary>
    public static string WithPipes(string body, string members = "") => "using System;\nusing System.Buffers;\nusing System.IO.Pipelines;\nusing System.Threading.Tasks;\n" + $$"""
        class C
        {
            PipeReader _input = null!;
            static bool TryParse(ref ReadOnlySequence<byte> buffer, out int message) { message = 0; return false; }
            static void Process(int message) { }
            static void Use(ReadOnlySequence<byte> data) { }
            static void Work() { }
            {{members}}
            async Task M(PipeReader reader, int n)
            {
                {{body}}
            }
        }
        """;

    /// <summary>Wraps statements in a method that writes to buffer writers of each kind, for FOLIO016 (no Folios needed).</summary>
    public static string WithWriters(string body, string members = "") => "using System;\nusing System.Buffers;\nusing System.Buffers.Binary;\nusing System.IO.Pipelines;\nusing System.Runtime.InteropServices;\nusing System.Text;\n" + $$"""
        class C
        {
            const int HeaderSize = 8;
            PipeWriter _output = null!;
            static bool TryEncode(Span<byte> destination, out int written) { written = 0; return false; }
            static void Work() { }
            {{members}}
            void M(IBufferWriter<byte> writer, PipeWriter pipe, ArrayBufferWriter<byte> array, int value, long id, int n)
            {
                {{body}}
            }
        }
        """;

    public static string InMethod(string body, string members = "") => Usings + $$"""
        class C
        {
            PageAllocator allocator = new PageAllocator();
            ExtentBuffer buffer = null!;
            Folio[] pages = new Folio[4];
            {{members}}
            void M(int n, AllocFlags someFlags, byte[] destination)
            {
                {{body}}
            }
        }
        """;
}
