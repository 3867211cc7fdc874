namespace Folios.Analyzers.Tests;

/// <summary>
/// Every C# example a user reads (README.md, Runtime/PACKAGE.md, docs/*.md, docs/rules/*.md) compiles against the
/// runtime, and the rules report on it exactly the misuse its fence declares (<see cref="MarkdownExamples"/>).
/// </summary>
public class MarkdownExampleTests
{
    public static TheoryData<string> FilesWithExamples()
    {
        var files = new TheoryData<string>();
        foreach (string path in CheckedFiles())
            files.Add(path);
        return files;
    }

    [Theory]
    [MemberData(nameof(FilesWithExamples))]
    public async Task Every_csharp_block_compiles_and_reports_what_it_declares(string path)
    {
        var failures = await MarkdownExamples.CheckAsync(path, Read(path));
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void The_front_pages_and_every_rule_page_have_examples_to_check()
    {
        var checkedFiles = CheckedFiles().ToList();
        Assert.Contains("README.md", checkedFiles);
        Assert.Contains("Runtime/PACKAGE.md", checkedFiles);
        var rulePages = UserDocuments().Where(path => Path.GetFileName(path).StartsWith("FOLIO", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rulePages);
        Assert.All(rulePages, page => Assert.Contains(page, checkedFiles));
        // Each rule page shows its rule firing on at least one example.
        Assert.All(rulePages, page => Assert.Contains(MarkdownExamples.Blocks(page, Read(page)),
            block => block.InfoString.Contains("misuse=" + Path.GetFileNameWithoutExtension(page), StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_block_that_does_not_compile_fails_with_the_file_its_first_line_and_the_errors()
    {
        var failures = await MarkdownExamples.CheckAsync("docs/sample.md", """
            Some text.

            ```csharp statements(PageAllocator allocator)
            var folio = allocator.Allocate(0);
            allocator.Free(missing);
            ```
            """);
        string failure = Assert.Single(failures);
        Assert.StartsWith("docs/sample.md:3 (var folio = allocator.Allocate(0);) does not compile", failure, StringComparison.Ordinal);
        Assert.Contains("line 5: CS0103", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_block_compiles_in_the_shape_its_fence_declares_and_other_languages_are_left_alone()
    {
        var failures = await MarkdownExamples.CheckAsync("docs/sample.md", """
            ```csharp
            using Folios;

            using var allocator = new PageAllocator();
            Console.WriteLine(allocator.PageSize);
            ```

            ```csharp members
            static int Twice(ExtentBuffer buffer) => 2 * buffer.ReadByte(0);
            ```

            ```csharp statements(ExtentBuffer buffer)
            await Task.Yield();
            Console.WriteLine(buffer.ReadUInt32LittleEndian(4094));
            ```

            ```sh
            this is not C#
            ```
            """);
        Assert.Empty(failures);

        var wrongShape = await MarkdownExamples.CheckAsync("docs/sample.md", """
            ```csharp
            static int Twice(ExtentBuffer buffer) => 2 * buffer.ReadByte(0);
            ```

            ```csharp members
            Console.WriteLine(1);
            ```
            """);
        Assert.Equal(2, wrongShape.Count);
    }

    [Fact]
    public async Task A_misuse_block_must_report_exactly_the_rules_it_names_and_an_unmarked_block_none()
    {
        const string NoFailOrderTwo = "var folio = allocator.Allocate(2, AllocFlags.NoFail);";
        Assert.Empty(await MarkdownExamples.CheckAsync("docs/sample.md", $"""
            ```csharp statements(PageAllocator allocator) misuse=FOLIO001
            {NoFailOrderTwo}
            ```
            """));

        string unmarked = Assert.Single(await MarkdownExamples.CheckAsync("docs/sample.md", $"""
            ```csharp statements(PageAllocator allocator)
            {NoFailOrderTwo}
            ```
            """));
        Assert.Contains("is not marked as a misuse", unmarked, StringComparison.Ordinal);
        Assert.Contains("FOLIO001", unmarked, StringComparison.Ordinal);

        string wrongRule = Assert.Single(await MarkdownExamples.CheckAsync("docs/sample.md", $"""
            ```csharp statements(PageAllocator allocator) misuse=FOLIO005
            {NoFailOrderTwo}
            ```
            """));
        Assert.Contains("marked misuse=FOLIO005 but the rules report", wrongRule, StringComparison.Ordinal);

        string clean = Assert.Single(await MarkdownExamples.CheckAsync("docs/sample.md", """
            ```csharp statements(PageAllocator allocator) misuse=FOLIO001
            var folio = allocator.Allocate(0, AllocFlags.NoFail);
            ```
            """));
        Assert.Contains("but the rules report nothing", clean, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_block_is_analysed_with_the_options_its_fence_gives_and_unknown_words_fail()
    {
        const string OrderTwo = "var folio = allocator.Allocate(2, AllocFlags.NoWarn);";
        Assert.Empty(await MarkdownExamples.CheckAsync("docs/sample.md", $"""
            ```csharp statements(PageAllocator allocator) misuse=FOLIO009 folios.max_folio_order=1
            {OrderTwo}
            ```

            ```csharp statements(PageAllocator allocator)
            {OrderTwo}
            ```
            """));

        string typo = Assert.Single(await MarkdownExamples.CheckAsync("docs/sample.md", $"""
            ```csharp statements(PageAllocator allocator) misuses=FOLIO009
            {OrderTwo}
            ```
            """));
        Assert.Contains("'misuses=FOLIO009' in the fence", typo, StringComparison.Ordinal);
    }

    private static IEnumerable<string> CheckedFiles() => UserDocuments().Where(path => MarkdownExamples.Blocks(path, Read(path)).Any());

    /// <summary>The markdown a user reads, relative to the repository root with forward slashes.</summary>
    private static IEnumerable<string> UserDocuments() =>
        new[] { "README.md", Path.Combine("Runtime", "PACKAGE.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal).Select(path => Path.GetRelativePath(Repository.Root, path)))
            .Concat(Directory.EnumerateFiles(Path.Combine(Repository.Root, "docs", "rules"), "*.md").Order(StringComparer.Ordinal).Select(path => Path.GetRelativePath(Repository.Root, path)))
            .Select(path => path.Replace(Path.DirectorySeparatorChar, '/'));

    private static string Read(string path) => File.ReadAllText(Path.Combine(Repository.Root, path));
}
