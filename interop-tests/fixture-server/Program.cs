Console.WriteLine("fixture server");
