namespace Bot.Testing;

/// <summary>
/// The recorded protocol payloads the tests replay, carried in the repository under <c>tests/fixtures</c>
/// (byte-exact copies; provenance in tests/fixtures/SOURCES.md). Found by walking up from the test's output
/// folder, so a clone works wherever it lives; nothing outside the repository is read.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder <c>tests/fixtures</c> of this repository.</summary>
    public static string Root => s_root.Value;

    /// <summary>The path of tests/fixtures/{area}/{name}.</summary>
    public static string Path(string area, string name)
    {
        var path = System.IO.Path.Combine(Root, area, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"tests/fixtures/{area}/{name} is missing from the repository.", path);
    }

    /// <summary>The path of tests/fixtures/openai/{name}.</summary>
    public static string OpenAI(string name) => Path("openai", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures");
            if (File.Exists(System.IO.Path.Combine(candidate, "SOURCES.md")))
                return candidate;
        }

        throw new DirectoryNotFoundException($"tests/fixtures not found above {AppContext.BaseDirectory}.");
    }
}
