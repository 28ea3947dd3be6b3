from benchmarks import answer_save

if __name__ == "__main__":
    answer_save.main()
