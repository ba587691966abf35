package com.example.notes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.dynamotrigger.DynamoTrigger;
import io.dynamotrigger.EventType;
import io.dynamotrigger.ItemChange;
import io.dynamotrigger.ViewType;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class NotesApplication {

	final List<String> received = new CopyOnWriteArrayList<>();

	@DynamoTrigger(table = "Notes", viewType = ViewType.NEW_IMAGE, events = EventType.INSERT)
	void onNewNote(ItemChange<Note> change) {
		this.received.add(change.newImage().getText());
	}

	public static void main(String[] args) {
		SpringApplication.run(NotesApplication.class, args);
	}

}
