namespace Bot.Testing;

/// <summary>The recorded protocol payloads in shared/fixtures, found beside the repository (as CI lays it out) or above the test's folder.</summary>
public static class Fixtures
{
    /// <summary>The path of shared/fixtures/{area}/{name}.</summary>
    public static string Path(string area, string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures", area, name);
            if (File.Exists(candidate))
                return candidate;
        }

        throw new FileNotFoundException($"shared/fixtures/{area}/{name} not found above {AppContext.BaseDirectory}.");
    }

    /// <summary>The path of shared/fixtures/openai/{name}.</summary>
    public static string OpenAI(string name) => Path("openai", name);
}
